import {
  Interface,
  ParamType,
  Result,
  decodeBase64,
  getAddress,
  hexlify,
  isHexString,
  type FunctionFragment,
} from "ethers";
import { ContractRevertError } from "./errors.ts";
import type { ChainClient, JsonAbi, LogEntry, TransactionReceipt } from "./types.ts";

/** `{contractName, abi, bytecode}` as built into contracts/artifacts/. */
export interface ContractArtifact {
  contractName: string;
  abi: JsonAbi;
  bytecode: string;
}

export interface ContractRef {
  address: string;
  abi: JsonAbi;
  contractName: string;
}

/**
 * Typed values returned by calls, events and errors: an array (positional) that also carries the
 * ABI's parameter names as non-enumerable properties, like ethers' `Result`:
 * `const [role, status] = r` and `r.role` both work. Use {@link toNamed} for a plain object.
 */
export type NamedValues = unknown[] & Record<string, unknown>;

export interface DecodedEvent {
  name: string;
  /** `Name(type,...)`. */
  signature: string;
  args: NamedValues;
  /** Emitting contract, lower-case. */
  address: string;
  topics: string[];
  data: string;
  logIndex?: number;
  blockNumber?: number | string | null;
  transactionHash?: string;
}

const iface = (abi: JsonAbi | Interface): Interface =>
  abi instanceof Interface ? abi : new Interface(abi as never[]);

// ---- arguments → WeBASE funcParam strings --------------------------------------------------------

function asBigInt(v: unknown, type: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new TypeError(`${type}: ${v} is not a safe integer (use a bigint)`);
    return BigInt(v);
  }
  if (typeof v === "string" && /^(-?\d+|0x[0-9a-fA-F]+)$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === "boolean") throw new TypeError(`${type}: got a boolean`);
  throw new TypeError(`${type}: cannot convert ${String(v)} to an integer`);
}

function asBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new TypeError(`bool: cannot convert ${String(v)}`);
}

function asBytesHex(v: unknown, type: string): string {
  let hex: string;
  if (v instanceof Uint8Array) hex = hexlify(v);
  else if (typeof v === "string" && isHexString(v)) hex = v.toLowerCase();
  else throw new TypeError(`${type}: expected a Uint8Array or 0x-hex string, got ${String(v)}`);
  const m = /^bytes(\d+)$/.exec(type);
  if (m) {
    const n = Number(m[1]);
    if ((hex.length - 2) / 2 !== n)
      throw new TypeError(`${type}: expected ${n} bytes, got ${(hex.length - 2) / 2}`);
  }
  return hex;
}

/** One element of an array parameter as a JSON literal. */
function jsonElement(p: ParamType, v: unknown): string {
  switch (kindOf(p)) {
    case "int":
      return asBigInt(v, p.type).toString();
    case "bool":
      return asBool(v) ? "true" : "false";
    case "array":
      return arrayJson(p, v);
    default:
      return JSON.stringify(scalarParam(p, v));
  }
}

function arrayJson(p: ParamType, v: unknown): string {
  if (!Array.isArray(v)) throw new TypeError(`${p.type}: expected an array`);
  const child = p.arrayChildren;
  if (!child) throw new TypeError(`${p.type}: no element type`);
  if (p.arrayLength !== null && p.arrayLength >= 0 && v.length !== p.arrayLength)
    throw new TypeError(`${p.type}: expected ${p.arrayLength} elements`);
  return `[${v.map((e) => jsonElement(child, e)).join(",")}]`;
}

type Kind = "int" | "bool" | "address" | "bytes" | "string" | "array" | "tuple";

function kindOf(p: ParamType): Kind {
  if (p.baseType === "array") return "array";
  if (p.baseType === "tuple") return "tuple";
  const t = p.type;
  if (/^u?int\d*$/.test(t)) return "int";
  if (t === "bool") return "bool";
  if (t === "address") return "address";
  if (/^bytes\d*$/.test(t)) return "bytes";
  if (t === "string") return "string";
  throw new TypeError(`unsupported ABI type ${t}`);
}

function scalarParam(p: ParamType, v: unknown): string {
  switch (kindOf(p)) {
    case "int":
      return asBigInt(v, p.type).toString();
    case "bool":
      return asBool(v) ? "true" : "false";
    case "address":
      if (typeof v !== "string") throw new TypeError(`address: expected a string, got ${String(v)}`);
      return getAddress(v).toLowerCase();
    case "bytes":
      return asBytesHex(v, p.type);
    case "string":
      if (typeof v !== "string") throw new TypeError(`string: expected a string, got ${String(v)}`);
      return v;
    default:
      throw new TypeError(`${p.type}: not a scalar`);
  }
}

/**
 * Converts one typed argument to a WeBASE `funcParam` string: integers in decimal, bool
 * "true"/"false", address lower-case, bytes/bytesN 0x-hex lower-case, arrays as a JSON string.
 * Tuples are not supported (the contracts take none).
 */
export function toFuncParam(type: string | ParamType, value: unknown): string {
  const p = typeof type === "string" ? ParamType.from(type) : type;
  const kind = kindOf(p);
  if (kind === "tuple") throw new TypeError("tuple parameters are not supported through WeBASE funcParam");
  if (kind === "array") return arrayJson(p, value);
  return scalarParam(p, value);
}

/** Converts an argument list by the ABI inputs (checks the count). */
export function toFuncParams(
  inputs: readonly ParamType[],
  args: readonly unknown[],
  what = "function",
): string[] {
  if (inputs.length !== args.length)
    throw new TypeError(`${what}: expected ${inputs.length} arguments, got ${args.length}`);
  return inputs.map((p, i) => {
    try {
      return toFuncParam(p, args[i]);
    } catch (e) {
      throw new TypeError(`${what}: argument ${p.name || i} (${p.type}): ${(e as Error).message}`);
    }
  });
}

// ---- WeBASE result strings → typed values --------------------------------------------------------

function bytesFromString(s: string, type: string): string {
  let t = s.trim();
  if (t.startsWith("hex://")) t = t.slice(6);
  if (t.startsWith("base64://")) return hexlify(decodeBase64(t.slice(9)));
  if (/^0x([0-9a-fA-F]{2})*$/.test(t)) return t.toLowerCase();
  if (/^([0-9a-fA-F]{2})*$/.test(t)) return `0x${t.toLowerCase()}`;
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return hexlify(decodeBase64(t));
  throw new TypeError(`${type}: cannot read ${s}`);
}

function fromValue(p: ParamType, v: unknown): unknown {
  switch (kindOf(p)) {
    case "int":
      return asBigInt(typeof v === "number" ? BigInt(v) : v, p.type);
    case "bool":
      return v === true || v === "true" || v === 1 || v === "1";
    case "address": {
      const s = String(v).trim();
      return getAddress(s.startsWith("0x") || s.startsWith("0X") ? s : `0x${s}`);
    }
    case "bytes":
      return bytesFromString(String(v), p.type);
    case "string":
      return typeof v === "string" ? v : JSON.stringify(v);
    case "array": {
      const arr = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
      if (!Array.isArray(arr)) throw new TypeError(`${p.type}: expected an array, got ${String(v)}`);
      const child = p.arrayChildren as ParamType;
      return arr.map((e) => fromValue(child, e));
    }
    case "tuple":
      return typeof v === "string" && v.trim().startsWith("[") ? (JSON.parse(v) as unknown) : v;
  }
}

/** Converts one WeBASE result string to a typed value (uint/int → bigint, address checksummed, bytes → 0x lower-case). */
export function fromCallResult(type: string | ParamType, value: string): unknown {
  return fromValue(typeof type === "string" ? ParamType.from(type) : type, value);
}

function named(values: unknown[], params: readonly ParamType[]): NamedValues {
  const out = values as NamedValues;
  params.forEach((p, i) => {
    if (p.name && !(p.name in Array.prototype) && !/^\d+$/.test(p.name)) {
      Object.defineProperty(out, p.name, { value: values[i], enumerable: false, writable: false });
    }
  });
  return out;
}

/** Converts a call's `string[]` by the ABI outputs into {@link NamedValues}. */
export function decodeCallResults(outputs: readonly ParamType[], values: readonly string[]): NamedValues {
  if (values.length < outputs.length)
    throw new TypeError(`expected ${outputs.length} results, got ${values.length}`);
  return named(
    outputs.map((p, i) => fromValue(p, values[i] as string)),
    outputs,
  );
}

/** A plain object `{name: value}` (index for unnamed) of {@link NamedValues}. */
export function toNamed(values: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = Object.getOwnPropertyNames(values).filter((k) => k !== "length" && !/^\d+$/.test(k));
  values.forEach((v, i) => (out[String(i)] = v));
  for (const k of names) {
    out[k] = (values as NamedValues)[k];
  }
  // prefer names only when every value is named
  if (names.length === values.length) for (let i = 0; i < values.length; i++) delete out[String(i)];
  return out;
}

function fromEthersResult(r: Result, params: readonly ParamType[]): NamedValues {
  const plain = (v: unknown): unknown => (v instanceof Result ? Array.from(v, plain) : v);
  return named(Array.from(r, plain), params);
}

// ---- reverts -------------------------------------------------------------------------------------

export interface DecodedError {
  /** Custom error name, or "Error" / "Panic". */
  errorName: string;
  errorArgs: NamedValues;
  signature: string;
}

/** Decodes revert data (custom error with the ABI, or the built-in Error(string) / Panic(uint256)). */
export function decodeRevertData(
  data: string | null | undefined,
  abi: JsonAbi | Interface,
): DecodedError | null {
  if (!data || !isHexString(data) || data.length < 10) return null;
  try {
    const desc = iface(abi).parseError(data);
    if (!desc) return null;
    return {
      errorName: desc.name,
      errorArgs: fromEthersResult(desc.args, desc.fragment.inputs),
      signature: desc.signature,
    };
  } catch {
    return null;
  }
}

function formatArg(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatArg).join(", ")}]`;
  return typeof v === "string" ? (v.startsWith("0x") ? v : JSON.stringify(v)) : String(v);
}

/** Builds the {@link ContractRevertError} for a receipt with `statusOK === false`. */
export function revertErrorFromReceipt(
  receipt: TransactionReceipt,
  abi: JsonAbi | Interface,
  what = "transaction",
): ContractRevertError {
  const d = decodeRevertData(receipt.output, abi);
  if (d) {
    const reason =
      d.errorName === "Error"
        ? String(d.errorArgs[0])
        : `${d.errorName}(${d.errorArgs.map(formatArg).join(", ")})`;
    return new ContractRevertError({
      errorName: d.errorName,
      errorArgs: d.errorArgs,
      receipt,
      message: `${what} reverted: ${reason}`,
    });
  }
  const raw =
    receipt.message ||
    (receipt.output && receipt.output !== "0x" ? receipt.output : `status ${receipt.status}`);
  return new ContractRevertError({
    errorName: null,
    errorArgs: [],
    receipt,
    message: `${what} reverted: ${raw}`,
  });
}

// ---- events --------------------------------------------------------------------------------------

/**
 * Decodes the logs of a receipt (or a list of log entries) with an ABI. Logs the ABI does not know
 * are skipped.
 */
export function decodeLogs(
  source: TransactionReceipt | readonly LogEntry[],
  abi: JsonAbi | Interface,
): DecodedEvent[] {
  const i = iface(abi);
  const logs = Array.isArray(source)
    ? (source as readonly LogEntry[])
    : (source as TransactionReceipt).logEntries;
  const out: DecodedEvent[] = [];
  logs.forEach((log, idx) => {
    let parsed;
    try {
      parsed = i.parseLog({ topics: log.topics, data: log.data });
    } catch {
      parsed = null;
    }
    if (!parsed) return;
    out.push({
      name: parsed.name,
      signature: parsed.signature,
      args: fromEthersResult(parsed.args, parsed.fragment.inputs),
      address: log.address.toLowerCase(),
      topics: log.topics.map((t) => t.toLowerCase()),
      data: log.data.toLowerCase(),
      logIndex: log.logIndex ?? idx,
      blockNumber: log.blockNumber ?? null,
      transactionHash: log.transactionHash,
    });
  });
  return out;
}

// ---- the handle ----------------------------------------------------------------------------------

export interface SendOptions {
  /** WeBASE-held key address that signs the transaction; defaults to the handle's default user. */
  user?: string;
}

/** A deployed contract reached through a {@link ChainClient}, with typed arguments and results. */
export class ContractHandle {
  readonly client: ChainClient;
  readonly address: string;
  readonly abi: JsonAbi;
  readonly contractName: string;
  readonly interface: Interface;
  defaultUser: string | undefined;

  constructor(client: ChainClient, ref: ContractRef, defaultUser?: string) {
    this.client = client;
    this.address = ref.address.toLowerCase();
    this.abi = ref.abi;
    this.contractName = ref.contractName;
    this.interface = new Interface(ref.abi as never[]);
    this.defaultUser = defaultUser;
  }

  #fn(fn: string): FunctionFragment {
    const f = this.interface.getFunction(fn);
    if (!f) throw new TypeError(`${this.contractName} has no function ${fn}`);
    return f;
  }

  /**
   * A view call. One output → that value; several → {@link NamedValues}; none → undefined.
   * A revert throws {@link CallRevertError} with WeBASE-Front's `reason`: the Error(string) text, or
   * "call contract error of status:16" for a custom error (whose name never reaches a client).
   */
  async call<T = unknown>(fn: string, args: readonly unknown[] = [], opts: SendOptions = {}): Promise<T> {
    const f = this.#fn(fn);
    const params = toFuncParams(f.inputs, args, `${this.contractName}.${f.name}`);
    const res = await this.client.call({
      user: opts.user ?? this.defaultUser,
      address: this.address,
      abi: this.abi,
      funcName: f.name,
      params,
      contractName: this.contractName,
    });
    const values = decodeCallResults(f.outputs, res);
    if (f.outputs.length === 0) return undefined as T;
    if (f.outputs.length === 1) return values[0] as T;
    return values as T;
  }

  /** Sends a transaction; resolves to the receipt, throws {@link ContractRevertError} when `statusOK` is false. */
  async send(fn: string, args: readonly unknown[] = [], opts: SendOptions = {}): Promise<TransactionReceipt> {
    const f = this.#fn(fn);
    const user = opts.user ?? this.defaultUser;
    if (!user)
      throw new TypeError(`${this.contractName}.${f.name}: no sending user (pass {user} or a default user)`);
    const params = toFuncParams(f.inputs, args, `${this.contractName}.${f.name}`);
    const receipt = await this.client.send({
      user,
      address: this.address,
      abi: this.abi,
      funcName: f.name,
      params,
      contractName: this.contractName,
    });
    if (!receipt.statusOK)
      throw revertErrorFromReceipt(receipt, this.interface, `${this.contractName}.${f.name}`);
    return receipt;
  }

  /** Decodes a receipt's logs with this contract's ABI (only logs emitted by this address). */
  decodeLogs(source: TransactionReceipt | readonly LogEntry[]): DecodedEvent[] {
    return decodeLogs(source, this.interface).filter((e) => e.address === this.address);
  }
}

/** Deploys an artifact through WeBASE-Front; resolves to the new address (lower-case). */
export async function deployContract(
  client: ChainClient,
  opts: { user: string; artifact: ContractArtifact; args?: readonly unknown[] },
): Promise<string> {
  const i = new Interface(opts.artifact.abi as never[]);
  const params = toFuncParams(i.deploy.inputs, opts.args ?? [], `${opts.artifact.contractName} constructor`);
  return client.deploy({
    user: opts.user,
    contractName: opts.artifact.contractName,
    abi: opts.artifact.abi,
    bytecode: opts.artifact.bytecode,
    params,
  });
}
