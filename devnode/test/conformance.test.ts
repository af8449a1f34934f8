// The shared WeBASE-Front conformance check, run against a fresh devnode as a separate process.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BLOCK_INTERVAL_MS, type Devnode } from "../src/index.ts";
import { conformanceScript, recordingLogger, start, tempDir } from "./helpers.ts";

const run = promisify(execFile);

describe("webase-conformance.mjs against the devnode", () => {
  const tmp = tempDir();
  let node: Devnode;

  beforeAll(async () => {
    // in its default batching mode, as developers run it
    node = await start(tmp.dir, recordingLogger(), undefined, { blockIntervalMs: DEFAULT_BLOCK_INTERVAL_MS });
  });
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("ends with N passed, 0 failed", async () => {
    expect(existsSync(conformanceScript), conformanceScript).toBe(true);
    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, [conformanceScript, node.url, "group0"], {
        timeout: 50_000,
      }));
    } catch (e) {
      // exit code 1 = something failed: show the whole report
      throw new Error(`conformance failed:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
    }
    const lines = stdout.trim().split("\n");
    const last = lines[lines.length - 1] ?? "";
    expect(last).toMatch(/^[1-9][0-9]* passed, 0 failed$/);
    // no "warn" lines either: the devnode also matches the details the script cannot hard-check
    expect(lines.filter((l) => l.startsWith("warn"))).toEqual([]);
  });
});
