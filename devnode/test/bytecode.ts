// Tiny hand-assembled contracts for tests (we never compile in the devnode's tests).
import { AbiCoder, ParamType, id } from "ethers";

/** Init code that deploys `runtime` (≤ 255 bytes) unchanged. */
function deployer(runtime: string): string {
  const len = runtime.length / 2;
  if (len > 255) throw new Error("runtime too long for PUSH1");
  // PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN  (11 bytes, runtime follows)
  return "60" + len.toString(16).padStart(2, "0") + "80600b6000396000f3" + runtime;
}

/** Every call reverts with the custom error `Unauthorized(address caller)`. */
export const UNAUTHORIZED_SELECTOR = id("Unauthorized(address)").slice(0, 10);
export const REVERTER_BIN = deployer(
  // PUSH4 sel PUSH1 0xe0 SHL PUSH1 0 MSTORE CALLER PUSH1 4 MSTORE PUSH1 0x24 PUSH1 0 REVERT
  "63" + UNAUTHORIZED_SELECTOR.slice(2) + "60e01b600052336004526024" + "6000fd",
);
export const REVERTER_ABI = [
  {
    type: "constructor",
    stateMutability: "nonpayable",
    inputs: [
      { name: "n", type: "uint256" },
      { name: "h", type: "bytes32" },
      { name: "b", type: "bool" },
      { name: "a", type: "address" },
      { name: "s", type: "string" },
      { name: "xs", type: "uint256[]" },
    ],
  },
  { type: "function", name: "poke", stateMutability: "nonpayable", inputs: [], outputs: [] },
  {
    type: "function",
    name: "peek",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  { type: "error", name: "Unauthorized", inputs: [{ name: "caller", type: "address" }] },
];

/** Every call returns the same ABI-encoded tuple, whatever the selector. */
export const FIXED_VALUES = [
  "0x00000000000000000000000000000000000000AB",
  true,
  "0x" + "11".repeat(32),
  -5n,
  "héllo",
] as const;
const blob = AbiCoder.defaultAbiCoder()
  .encode(["address", "bool", "bytes32", "int256", "string"], [...FIXED_VALUES])
  .slice(2);
const blobLen = (blob.length / 2).toString(16).padStart(2, "0");
// PUSH1 len PUSH1 12 PUSH1 0 CODECOPY PUSH1 len PUSH1 0 RETURN, then the blob
export const ECHO_BIN = deployer("60" + blobLen + "600c600039" + "60" + blobLen + "6000f3" + blob);
const outputs = [
  { name: "a", type: "address" },
  { name: "b", type: "bool" },
  { name: "h", type: "bytes32" },
  { name: "i", type: "int256" },
  { name: "s", type: "string" },
];
export const ECHO_ABI = [
  { type: "function", name: "info", stateMutability: "view", inputs: [], outputs },
  { type: "function", name: "touch", stateMutability: "nonpayable", inputs: [], outputs },
];

/** Init code whose constructor reverts with no data. */
export const FAILING_CONSTRUCTOR_BIN = "60006000fd";

/**
 * Every call burns about 18.4M gas: 7000 iterations of BALANCE on a cold address (2600 gas each).
 * PUSH2 n; JUMPDEST; DUP1 BALANCE POP; n-1; DUP1; PUSH1 3; JUMPI; STOP
 */
export const BURNER_BIN = deployer("611b585b803150600190038060035700");
export const BURNER_ABI = [
  { type: "function", name: "burn", stateMutability: "nonpayable", inputs: [], outputs: [] },
];

/** Init code that deploys `runtime` (≤ 64 KiB) unchanged: PUSH2 len DUP1 PUSH1 12 PUSH1 0 CODECOPY PUSH1 0 RETURN */
function deployer2(runtime: string): string {
  const len = (runtime.length / 2).toString(16).padStart(4, "0");
  return "61" + len + "80600c6000396000f3" + runtime;
}

/** A contract whose every call returns `values` ABI-encoded as `types` (a view `get` and a transaction `put`). */
export function echoOf(types: string[], values: unknown[]): { bin: string; abi: unknown[] } {
  const blob = AbiCoder.defaultAbiCoder().encode(types, values).slice(2);
  const len = (blob.length / 2).toString(16).padStart(4, "0");
  // PUSH2 len PUSH1 14 PUSH1 0 CODECOPY PUSH2 len PUSH1 0 RETURN, then the blob
  const bin = deployer2("61" + len + "600e600039" + "61" + len + "6000f3" + blob);
  // JSON ABI form (tuples as "tuple" with components), as solc writes it
  const outputs = types.map((type, i) => ({
    ...JSON.parse(ParamType.from(type).format("json")),
    name: `o${i}`,
  }));
  return {
    bin,
    abi: [
      { type: "function", name: "get", stateMutability: "view", inputs: [], outputs },
      { type: "function", name: "put", stateMutability: "nonpayable", inputs: [], outputs },
    ],
  };
}

/**
 * Every call returns (stored, block.timestamp, block.number, msg.sender) and then stores
 * block.timestamp: a transaction `stamp` records its block's time, a view `read` shows what a call sees.
 */
export const CLOCK_BIN = deployer(
  "600054600052" + "42602052" + "43604052" + "33606052" + "42600055" + "60806000f3",
);
const clockOutputs = [
  { name: "stored", type: "uint256" },
  { name: "now", type: "uint256" },
  { name: "number", type: "uint256" },
  { name: "sender", type: "address" },
];
export const CLOCK_ABI = [
  { type: "function", name: "stamp", stateMutability: "nonpayable", inputs: [], outputs: clockOutputs },
  { type: "function", name: "read", stateMutability: "view", inputs: [], outputs: clockOutputs },
];

/** Every call reverts with Panic(0x01) (an assert) — what solc ≥ 0.8 emits for assert(false). */
export const PANIC_BIN = deployer("634e487b7160e01b6000526001600452" + "60246000fd");
/** Every call reverts with no data, like `revert()`. */
export const BARE_REVERT_BIN = deployer("60006000fd");
/** Every call hits INVALID (0xfe). */
export const INVALID_BIN = deployer("fe");
export const FAILING_ABI = [
  {
    type: "function",
    name: "check",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  { type: "function", name: "run", stateMutability: "nonpayable", inputs: [], outputs: [] },
];
