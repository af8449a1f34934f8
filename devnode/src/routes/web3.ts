// GET /{groupId}/web3/... (Web3ApiController): blocks, transactions and receipts.
import { HASH, requireGroup, type App } from "../app.ts";
import { Code, FrontError, badRequest } from "../errors.ts";
import type { Router } from "../http.ts";
import { toFiscoBlock, toFiscoTransaction } from "../receipt.ts";

function blockNumberParam(s: string | undefined): number {
  // Spring binds {blockNumber} to a BigInteger: anything else is a 400 type mismatch.
  if (s === undefined || !/^[0-9]+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw badRequest(`Failed to convert value "${s}" to required type BigInteger`);
  }
  return Number(s);
}

function hashParam(s: string | undefined): string {
  if (s === undefined || !HASH.test(s)) throw badRequest(`invalid hash "${s}"`);
  return s.toLowerCase();
}

function intQuery(q: URLSearchParams, name: string, dflt: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  if (!/^[0-9]+$/.test(v))
    throw badRequest(`Failed to convert value "${v}" of parameter '${name}' to Integer`);
  return Number(v);
}

export function web3Routes(r: Router, app: App): void {
  const { chain } = app;

  const headAtLeast = async (n: number) => {
    if (n > (await chain.blockNumber())) {
      throw new FrontError(Code.BLOCK_NUMBER_TOO_HIGH, "request blockNumber is greater than latest");
    }
  };

  r.get("/:group/web3/blockNumber", async ({ params }) => {
    requireGroup(app, params.group);
    return { json: await chain.blockNumber() };
  });

  r.get("/:group/web3/blockByNumber/:n", async ({ params }) => {
    requireGroup(app, params.group);
    const n = blockNumberParam(params.n);
    await headAtLeast(n);
    const b = await chain.blockByNumber(n);
    return b ? { json: toFiscoBlock(b, app.groupId) } : { empty: true };
  });

  r.get("/:group/web3/blockByHash/:h", async ({ params }) => {
    requireGroup(app, params.group);
    const b = await chain.blockByHash(hashParam(params.h));
    // Spring writes nothing for a null return value: HTTP 200 with an empty body.
    return b ? { json: toFiscoBlock(b, app.groupId) } : { empty: true };
  });

  r.get("/:group/web3/transaction/:h", async ({ params }) => {
    requireGroup(app, params.group);
    const tx = await chain.transaction(hashParam(params.h));
    if (!tx) return { empty: true };
    const ts = await chain.blockTimestamp(Number(BigInt(tx.blockNumber)));
    return { json: toFiscoTransaction(tx, app.groupId, ts) };
  });

  r.get("/:group/web3/transactionReceipt/:h", async ({ params }) => {
    requireGroup(app, params.group);
    const rc = await chain.receipt(hashParam(params.h));
    return rc ? { json: rc } : { empty: true };
  });

  r.get("/:group/web3/transReceipt/batchByNumber/:n", async ({ params, query }) => {
    requireGroup(app, params.group);
    const n = blockNumberParam(params.n);
    await headAtLeast(n);
    const start = intQuery(query, "start", 0);
    const count = intQuery(query, "count", 1000);
    const all = await chain.receiptsOfBlock(n);
    return { json: all.slice(start, start + count) };
  });
}
