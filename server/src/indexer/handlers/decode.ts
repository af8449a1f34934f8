import { getAddress, ZeroAddress } from "ethers";
import type { Prisma } from "../../generated/prisma/client.ts";

// Shared pieces of the event handlers: where an event sits on chain, and typed readers for decoded args.

export interface EventContext {
  blockNumber: number;
  logIndex: number;
  txHash: string;
  blockTime: bigint;
}

export type Args = Record<string, unknown>;
export type Tx = Prisma.TransactionClient;

/** A contract's events: `decode` narrows a decoded log to the module's tagged union (null if the event
 *  is not mirrored beyond chain_events), `apply` writes it inside the block's transaction. */
export interface EventModule<E> {
  decode(name: string, a: Args): E | null;
  apply(tx: Tx, ev: E, at: EventContext): Promise<void>;
}

export const addr = (v: unknown) => getAddress(String(v));
export const optionalAddr = (v: unknown) => (String(v).toLowerCase() === ZeroAddress ? null : addr(v));
export const hex = (v: unknown) => String(v).toLowerCase();
export const num = (v: unknown) => Number(v);
export const big = (v: unknown) => BigInt(v as bigint);
export const where = (at: EventContext) => ({ blockNumber: at.blockNumber, logIndex: at.logIndex });
