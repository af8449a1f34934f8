import type { ChainClient } from "@yyl/sdk";

// What deployment checks of a FISCO BCOS 3.x group before it sends anything: the contracts are built
// for an ECDSA group (keccak256 selectors, topics and EIP-712 hashes) and read `block.timestamp` as
// milliseconds, and every one of their transactions must fit the group's per-transaction gas limit.

/** The heaviest transaction of the contracts is ConsentManager's deployment, 2.4 M gas
 *  (bench/results/gas.json); a group whose limit leaves less than twice that is refused. */
export const MIN_TX_GAS_LIMIT = 5_000_000n;

export interface ChainFacts {
  groupId: string;
  crypto: "ecdsa" | "sm";
  /** `feature_evm_timestamp` on (FISCO BCOS ≥ 3.12): the EVM sees seconds instead of milliseconds. */
  evmTimestampInSeconds: boolean;
  txGasLimit: bigint;
  head: number;
}

export async function inspectChain(client: ChainClient): Promise<ChainFacts> {
  const [crypto, evmTimestamp, gasLimit, head] = await Promise.all([
    client.cryptoType(),
    client.systemConfig("feature_evm_timestamp"),
    client.systemConfig("tx_gas_limit"),
    client.blockNumber(),
  ]);
  if (gasLimit === null || !/^[0-9]+$/.test(gasLimit.trim())) {
    throw new Error(`the group answers no tx_gas_limit (got ${JSON.stringify(gasLimit)}): is this a FISCO BCOS 3.x group?`);
  }
  return {
    groupId: client.groupId,
    crypto,
    // Only enabled features are stored: an unset key reads as null, a set one as "1" (or "0" once turned off).
    evmTimestampInSeconds: evmTimestamp !== null && evmTimestamp.trim() === "1",
    txGasLimit: BigInt(gasLimit.trim()),
    head,
  };
}

/** Why these contracts must not be deployed on this group; empty when they may. */
export function refusalsOf(facts: ChainFacts): string[] {
  const out: string[] = [];
  if (facts.crypto === "sm") {
    out.push(
      `group ${facts.groupId} is a national-crypto (SM) group: its KECCAK256 opcode, function selectors and event topics use SM3, ` +
        "while these contracts and the EIP-712 signatures of patients and doctors are built for keccak256 (see docs/fisco.md, SM groups)",
    );
  }
  if (facts.evmTimestampInSeconds) {
    out.push(
      `group ${facts.groupId} has feature_evm_timestamp on, so block.timestamp is in seconds; the contracts compare it with ` +
        "deadlines and expiries in milliseconds, and every signed request would read as expired centuries ahead",
    );
  }
  if (facts.txGasLimit < MIN_TX_GAS_LIMIT) {
    out.push(
      `group ${facts.groupId} limits a transaction to ${facts.txGasLimit} gas; the contracts need at least ${MIN_TX_GAS_LIMIT} ` +
        "(raise tx_gas_limit with setSystemConfigByKey)",
    );
  }
  return out;
}

export function describeChain(facts: ChainFacts): string {
  return (
    `chain: group ${facts.groupId}, ${facts.crypto === "sm" ? "SM (national crypto)" : "ECDSA"}, ` +
    `block.timestamp in ${facts.evmTimestampInSeconds ? "seconds (feature_evm_timestamp on)" : "milliseconds"}, ` +
    `tx_gas_limit ${facts.txGasLimit}, head block ${facts.head}`
  );
}

export class ChainRefusedError extends Error {
  override name = "ChainRefusedError";
  constructor(readonly reasons: string[]) {
    super(`refusing to deploy:\n- ${reasons.join("\n- ")}`);
  }
}

/** Inspects the group, logs what it found and throws {@link ChainRefusedError} if the contracts cannot run there. */
export async function checkChain(client: ChainClient, log: (line: string) => void): Promise<ChainFacts> {
  const facts = await inspectChain(client);
  log(describeChain(facts));
  const reasons = refusalsOf(facts);
  if (reasons.length) throw new ChainRefusedError(reasons);
  return facts;
}
