// FISCO receipts, transactions and blocks of the chain, as JSON (shapes in chain/shapes.ts).
import type { App } from "../app.ts";
import type { FiscoBlock } from "../chain/blocks.ts";
import { blockJson, receiptJson, transactionJson } from "../chain/shapes.ts";
import { receiptMessage } from "../codec/revert.ts";

/**
 * The receipt of a committed transaction, or undefined. `viaHandle`: /trans/handle overwrites the
 * node's message (always "" in FISCO 3.x receipts: no code path sets it) with java-sdk's
 * decodeReceiptStatus text ("Success", the revert reason or the status text).
 */
export async function receiptOf(
  app: App,
  hash: string,
  viaHandle: boolean,
): Promise<Record<string, unknown> | undefined> {
  const at = app.chain.index.tx(hash);
  if (!at) return undefined;
  const [eth, ethTx] = await Promise.all([app.queries.ethReceipt(at.tx.hash), app.queries.ethTx(at.tx.hash)]);
  const output = await app.queries.output(at.tx, ethTx.to === null);
  const message = viaHandle ? receiptMessage(at.tx.status, output) : "";
  return receiptJson({ block: at.block, tx: at.tx, eth, ethTx, output, message });
}

export async function transactionOf(app: App, hash: string): Promise<Record<string, unknown> | undefined> {
  const at = app.chain.index.tx(hash);
  if (!at) return undefined;
  const ethTx = await app.queries.ethTx(at.tx.hash);
  return transactionJson({ block: at.block, tx: at.tx, ethTx, groupId: app.groupId });
}

/** `onlyTxHash` as the node's getBlockByNumber takes it (WeBASE passes its `fullTrans` there). */
export async function blockOf(
  app: App,
  block: FiscoBlock,
  onlyTxHash: boolean,
): Promise<Record<string, unknown>> {
  const txs = onlyTxHash
    ? block.txs.map((t) => t.hash)
    : await Promise.all(
        block.txs.map(async (tx) =>
          transactionJson({ block, tx, ethTx: await app.queries.ethTx(tx.hash), groupId: app.groupId }),
        ),
      );
  return blockJson(block, txs);
}
