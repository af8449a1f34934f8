// GET /{groupId}/web3/... (WF/web3api/Web3ApiController.java, Web3ApiService.java): the read routes
// this project uses. Path and query parameters are bound (400 on a type mismatch) before the service
// looks the group up. Routes the real 3.x controller lacks (e.g. transReceipt/batchByNumber) are 404.
import { bigIntegerPath, booleanParam, requireGroup, type App } from "../app.ts";
import type { FiscoBlock } from "../chain/blocks.ts";
import { Code, FrontError, JavaError } from "../errors.ts";
import type { Router } from "../http.ts";
import { blockOf, receiptOf, transactionOf } from "./views.ts";

/** java-sdk's wrapping of a node JSON-RPC error (SDK client/ClientImpl.java callRemoteMethod). */
const nodeError = (message: string) =>
  new JavaError(
    `callRemoteMethod failed for decode the message exception, error message:ErrorMessage: ${message}`,
  );

export function web3Routes(r: Router, app: App): void {
  const { chain } = app;

  /** Web3ApiService.blockNumberCheck: 201012 above the head. */
  const committed = (n: bigint): FiscoBlock => {
    if (n > BigInt(chain.head.number)) throw new FrontError(Code.BLOCK_NUMBER_TOO_HIGH);
    // a negative number passes the check and fails in the node; its wording was not read
    if (n < 0n) throw nodeError(`devnode: block number ${n} does not exist`);
    return chain.index.byNumber(Number(n))!;
  };

  r.get("/:group/web3/blockNumber", async ({ params }) => {
    requireGroup(app, params.group);
    return { json: chain.head.number };
  });

  // WeBASE passes `fullTrans` as java-sdk's `onlyTxHash` (Web3ApiService.getBlockByNumber/ByHash):
  // fullTrans=false (the default) gives full transactions, fullTrans=true hashes only.
  r.get("/:group/web3/blockByNumber/:n", async ({ params, query }) => {
    const n = bigIntegerPath(params.n);
    const onlyTxHash = booleanParam(query, "fullTrans", false);
    requireGroup(app, params.group);
    return { json: await blockOf(app, committed(n), onlyTxHash) };
  });

  r.get("/:group/web3/blockByHash/:h", async ({ params, query }) => {
    const onlyTxHash = booleanParam(query, "fullTrans", false);
    requireGroup(app, params.group);
    const b = chain.index.byBlockHash(params.h!);
    if (!b) throw new FrontError(Code.BLOCK_NOT_EXIST); // ClientException caught by the service
    return { json: await blockOf(app, b, onlyTxHash) };
  });

  r.get("/:group/web3/blockTransCnt/:n", async ({ params }) => {
    const n = bigIntegerPath(params.n);
    requireGroup(app, params.group);
    return { json: committed(n).txs.length };
  });

  r.get("/:group/web3/transactionReceipt/:h", async ({ params }) => {
    requireGroup(app, params.group);
    const rc = await receiptOf(app, params.h!, false);
    if (!rc) throw new FrontError(Code.TX_RECEIPT_NOT_EXIST); // ClientException caught by the service
    return { json: rc };
  });

  r.get("/:group/web3/transaction/:h", async ({ params, query }) => {
    booleanParam(query, "withProof", false); // bound, but proofs are not emulated
    requireGroup(app, params.group);
    const tx = await transactionOf(app, params.h!);
    // Not caught by Web3ApiService.getTransactionByHash: the ledger's error reaches the client as a 500
    // (FB bcos-ledger/bcos-ledger/Ledger.cpp asyncGetBatchTxsByHashList: GetStorageError with this text).
    if (!tx) throw nodeError("GetBatchTxsByHashList error");
    return { json: tx };
  });

  r.get("/:group/web3/code/:address/:n", async ({ params }) => {
    const n = bigIntegerPath(params.n);
    requireGroup(app, params.group);
    committed(n); // checked, but the node answers the latest code whatever the number
    return { text: await app.queries.code(params.address!) };
  });

  r.get("/:group/web3/transaction-total", async ({ params }) => {
    requireGroup(app, params.group);
    return {
      json: {
        transactionCount: String(chain.index.txCount),
        blockNumber: String(chain.head.number),
        failedTransactionCount: String(chain.index.failedTxCount),
      },
    };
  });

  r.get("/:group/web3/pending-transactions-count", async ({ params }) => {
    requireGroup(app, params.group);
    return { json: app.sealer.pendingCount };
  });

  r.get("/:group/web3/systemConfigByKey/:key", async ({ params }) => {
    requireGroup(app, params.group);
    const v = app.systemConfig.get(params.key!);
    // A key never written is a ledger error the service does not catch (Ledger.cpp checkEntryValid).
    if (v === undefined) throw nodeError(`Entry: ${params.key} does not exists!`);
    return { text: v };
  });

  r.get("/:group/web3/encrypt", async ({ params }) => {
    requireGroup(app, params.group);
    return { json: app.cryptoType }; // Integer: a bare JSON number
  });

  r.get("/:group/web3/isWasm", async ({ params }) => {
    requireGroup(app, params.group);
    return { json: false };
  });

  r.get("/:group/web3/groupList", async () => ({ json: [app.groupId] }));
}
