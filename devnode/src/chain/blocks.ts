// The FISCO view of the EVM: FISCO block n is a run of consecutive EVM blocks (one transaction each)
// sharing one timestamp. This index maps numbers and hashes both ways and keeps, per transaction, what
// a FISCO receipt and block need but an Ethereum one does not carry (the `to` as requested, the
// arrival time, the FISCO status).
import { keccak256, solidityPacked } from "ethers";

export interface FiscoTx {
  hash: string;
  /** the request's contractAddress as given; "" for a deployment */
  to: string;
  importTime: number;
  evmBlock: number;
  evmBlockHash: string;
  gasUsed: bigint;
  /** FISCO TransactionStatus (0 = ok) */
  status: number;
}

export interface FiscoBlock {
  number: number;
  /** ms */
  timestamp: number;
  hash: string;
  parentHash: string;
  evmFrom: number;
  evmTo: number;
  stateRoot: string;
  txs: FiscoTx[];
}

/**
 * FISCO blocks have their own hash (of their header); the devnode derives one deterministically from
 * the parent's hash, the number, the timestamp, the transaction hashes and the last EVM block's hash
 * (which commits to the EVM state and receipts).
 */
export function fiscoBlockHash(
  parentHash: string,
  number: number,
  timestamp: number,
  txHashes: readonly string[],
  lastEvmHash: string,
): string {
  return keccak256(
    solidityPacked(
      ["bytes32", "uint64", "uint64", "bytes32[]", "bytes32"],
      [parentHash, number, timestamp, txHashes, lastEvmHash],
    ),
  );
}

/** A FISCO receipt hash, derived from what identifies the receipt (same rule as the v1 devnode). */
export function receiptHash(tx: Pick<FiscoTx, "evmBlockHash" | "hash" | "status">): string {
  return keccak256(solidityPacked(["bytes32", "bytes32", "uint256"], [tx.evmBlockHash, tx.hash, tx.status]));
}

/** keccak256 over the concatenated hashes: a stand-in for FISCO's Merkle roots. */
export const rootOf = (hashes: readonly string[]): string =>
  keccak256(
    hashes.length
      ? solidityPacked(
          hashes.map(() => "bytes32"),
          hashes,
        )
      : "0x",
  );

export class BlockIndex {
  private readonly blocks: FiscoBlock[] = [];
  private readonly byHash = new Map<string, FiscoBlock>();
  private readonly txs = new Map<string, { block: FiscoBlock; index: number }>();

  constructor(genesis: FiscoBlock) {
    this.add(genesis);
  }

  add(b: FiscoBlock): void {
    this.blocks.push(b);
    this.byHash.set(b.hash, b);
    b.txs.forEach((t, index) => this.txs.set(t.hash, { block: b, index }));
  }

  get head(): FiscoBlock {
    return this.blocks[this.blocks.length - 1]!;
  }

  get txCount(): number {
    return this.txs.size;
  }

  get failedTxCount(): number {
    let n = 0;
    for (const b of this.blocks) n += b.txs.filter((t) => t.status !== 0).length;
    return n;
  }

  byNumber(n: number): FiscoBlock | undefined {
    return this.blocks[n];
  }

  byBlockHash(h: string): FiscoBlock | undefined {
    return this.byHash.get(h.toLowerCase());
  }

  tx(hash: string): { block: FiscoBlock; index: number; tx: FiscoTx } | undefined {
    const at = this.txs.get(hash.toLowerCase());
    return at ? { ...at, tx: at.block.txs[at.index]! } : undefined;
  }

  /** The FISCO block holding EVM block `evm` (≥ 1). */
  ofEvmBlock(evm: number): FiscoBlock | undefined {
    let lo = 1;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid]!;
      if (evm < b.evmFrom) hi = mid - 1;
      else if (evm > b.evmTo) lo = mid + 1;
      else return b;
    }
    return undefined;
  }
}
