// Shared by the devnode tests: a temp data dir, a started devnode and small HTTP helpers.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { startDevnode, type Devnode, type DevnodeOptions, type Logger } from "../src/index.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = path.resolve(repoRoot, "../shared");
export const conformanceScript = path.join(sharedDir, "tools/webase-conformance.mjs");

export const GROUP = "group0";

/** The Conformance contract of shared/tools/webase-conformance.mjs (solc 0.8.11, london, 200 runs). */
export const ABI = [
  {
    anonymous: false,
    inputs: [
      { indexed: true, internalType: "address", name: "by", type: "address" },
      { indexed: false, internalType: "uint256", name: "value", type: "uint256" },
      { indexed: false, internalType: "string", name: "note", type: "string" },
    ],
    name: "ValueSet",
    type: "event",
  },
  {
    inputs: [],
    name: "alwaysReverts",
    outputs: [{ internalType: "uint256", name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "get",
    outputs: [{ internalType: "uint256", name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { internalType: "uint256", name: "newValue", type: "uint256" },
      { internalType: "string", name: "note", type: "string" },
    ],
    name: "set",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [],
    name: "value",
    outputs: [{ internalType: "uint256", name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
];
export const BYTECODE =
  "608060405234801561001057600080fd5b50610254806100206000396000f3fe608060405234801561001057600080fd5b506004361061004c5760003560e01c80633fa4f24514610051578063643719771461006c5780636d4ce63c14610081578063b4f5537d14610089575b600080fd5b61005a60005481565b60405190815260200160405180910390f35b61007f61007a36600461016c565b610091565b005b60005461005a565b61005a61011f565b82600d14156100d75760405162461bcd60e51b815260206004820152600d60248201526c756e6c75636b792076616c756560981b60448201526064015b60405180910390fd5b600083905560405133907feef527b15b2eff0659cef4d2d9aad848e75b29bba78f761057ea7264412366ec90610112908690869086906101e8565b60405180910390a2505050565b6000600019600054146101655760405162461bcd60e51b815260206004820152600e60248201526d616c77617973207265766572747360901b60448201526064016100ce565b5060005490565b60008060006040848603121561018157600080fd5b83359250602084013567ffffffffffffffff808211156101a057600080fd5b818601915086601f8301126101b457600080fd5b8135818111156101c357600080fd5b8760208285010111156101d557600080fd5b6020830194508093505050509250925092565b83815260406020820152816040820152818360608301376000818301606090810191909152601f909201601f191601019291505056fea2646970667358221220e7d21a9023e9ff27cc3c47632495e9e4d337eb4564d8065b05ee1e4fb0a10b5064736f6c634300080b0033";

/** A logger that records lines, so tests can assert on warnings without printing them. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "yyl-devnode-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A devnode on a random port. Tests seal each transaction at once (blockIntervalMs 0) unless they
 * pass another interval: batching is tested on purpose, not waited for everywhere.
 */
export function start(
  dataDir: string,
  logger: Logger = recordingLogger(),
  chainId?: number,
  opts: Partial<DevnodeOptions> = {},
): Promise<Devnode> {
  return startDevnode({
    dataDir,
    port: 0,
    logger,
    blockIntervalMs: 0,
    ...(chainId !== undefined ? { chainId } : {}),
    ...opts,
  });
}

export interface Res {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function http(base: string, method: "GET" | "POST", p: string, body?: unknown): Promise<Res> {
  const res = await fetch(base + p, {
    method,
    headers: body !== undefined ? { "content-type": "application/json" } : {},
    body: body !== undefined ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A WeBASE client in a few lines: enough to drive the devnode from tests. */
export function client(base: string) {
  return {
    createKey: async (userName: string) => {
      const r = await http(
        base,
        "GET",
        `/privateKey?type=0&userName=${encodeURIComponent(userName)}&groupId=${GROUP}`,
      );
      if (r.status !== 200) throw new Error(r.text);
      return r.json as { address: string; privateKey: string };
    },
    deploy: async (
      user: string,
      abi: unknown[] = ABI,
      bytecodeBin: string = BYTECODE,
      funcParam: string[] = [],
    ) => {
      const r = await http(base, "POST", "/contract/deploy", {
        groupId: GROUP,
        user,
        contractName: "C",
        abiInfo: abi,
        bytecodeBin,
        funcParam,
      });
      if (r.status !== 200) throw new Error(r.text);
      return r.text;
    },
    handle: (
      user: string | undefined,
      contractAddress: string,
      funcName: string,
      funcParam: unknown[] = [],
      abi: unknown[] = ABI,
      extra: Record<string, unknown> = {},
    ) =>
      http(base, "POST", "/trans/handle", {
        groupId: GROUP,
        user,
        contractName: "C",
        contractAddress,
        funcName,
        contractAbi: abi,
        funcParam,
        useCns: false,
        ...extra,
      }),
    get: (p: string) => http(base, "GET", p),
    post: (p: string, body: unknown) => http(base, "POST", p, body),
  };
}

/**
 * WeBASE's error envelopes: 422 {code, data, errorMessage}; 400 and 500 {code, errorMessage} without
 * `data`. `message` undefined: not checked.
 */
export function expectError(r: Res, status: number, code: number, message?: string | null): void {
  expect({ status: r.status, code: r.json?.code }, r.text).toEqual({ status, code });
  expect("data" in r.json, r.text).toBe(status === 422);
  if (status === 422) expect(r.json.data, r.text).toBeNull();
  if (message !== undefined) expect(r.json.errorMessage).toBe(message);
}
