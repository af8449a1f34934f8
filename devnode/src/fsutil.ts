import { promises as fsp } from "node:fs";
import path from "node:path";

/**
 * Write a file so that a crash leaves either the old or the new content, never a mix:
 * write a temporary file, fsync it, rename it over the target, then fsync the directory so the
 * rename itself is durable.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fh = await fsp.open(tmp, "w", 0o600);
  try {
    await fh.writeFile(content, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export async function fsyncDir(dir: string): Promise<void> {
  // Directories can be opened read-only and fsynced on Linux/macOS; Windows refuses, which is harmless.
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, "r");
    await fh.sync();
  } catch {
    /* not supported on this platform */
  } finally {
    await fh?.close();
  }
}
