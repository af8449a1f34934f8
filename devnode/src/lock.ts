// One devnode per data dir: two processes appending to one journal would interleave blocks that
// never existed together in either EVM. A lock file holds the owner's pid; a stale one (dead pid) is taken over.
import { promises as fsp } from "node:fs";
import path from "node:path";
import type { Logger } from "./logger.ts";

const LOCK_FILE = "devnode.lock";
const heldInThisProcess = new Set<string>();

export interface DirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function lockDataDir(dataDir: string, logger: Logger): Promise<DirLock> {
  const file = path.join(path.resolve(dataDir), LOCK_FILE);
  if (heldInThisProcess.has(file))
    throw new Error(`data dir ${dataDir} is already used by a devnode in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await fsp.open(file, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      heldInThisProcess.add(file);
      return {
        async release() {
          heldInThisProcess.delete(file);
          await fsp.rm(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await fsp.readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `data dir ${dataDir} is in use by another devnode (pid ${pid}); stop it first ` +
            `(or delete ${file} if that process is not a devnode)`,
        );
      }
      logger.warn(`removing stale lock ${file} (pid ${pid || "?"} is gone)`);
      await fsp.rm(file, { force: true });
    }
  }
  throw new Error(`could not lock data dir ${dataDir}`);
}
