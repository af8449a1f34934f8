// FISCO BCOS 3.x JSON as WeBASE-Front 3.x returns it: java-sdk's TransactionReceipt,
// JsonTransactionResponse and BcosBlock as Jackson writes them (every field, nulls included, in field
// order), filled the way the node fills them (FB bcos-rpc/bcos-rpc/jsonrpc/JsonRpcImpl_2_0.cpp toJsonResp).
import { getAddress, hexlify, toUtf8Bytes } from "ethers";
import { type FiscoBlock, type FiscoTx, receiptHash, rootOf } from "./blocks.ts";
import type { EthReceipt, EthTx } from "./queries.ts";
import { BLOCK_VERSION } from "./system-config.ts";

/** FISCO's default chain id (build_chain.sh default_chainid) */
export const FISCO_CHAIN_ID = "chain0";
/** ClientImpl.BLOCK_LIMIT_RANGE: java-sdk signs with blockLimit = its block number + 500 */
const BLOCK_LIMIT_RANGE = 500;

export function receiptJson(a: {
  block: FiscoBlock;
  tx: FiscoTx;
  eth: EthReceipt;
  ethTx: EthTx;
  output: string;
  message: string;
}): Record<string, unknown> {
  const { tx, eth } = a;
  const deployed = eth.contractAddress && tx.status === 0 ? eth.contractAddress.toLowerCase() : "";
  return {
    version: 0,
    // the node adds 0x to the executor's bare address; empty for calls
    contractAddress: deployed,
    checksumContractAddress: deployed ? getAddress(deployed) : "",
    gasUsed: tx.gasUsed.toString(10), // u256::str(): decimal
    status: tx.status,
    blockNumber: a.block.number,
    output: a.output,
    transactionHash: tx.hash,
    hash: receiptHash(tx),
    // the executor's log address is bare lower-case hex; the node never sends a log's blockNumber
    logEntries: eth.logs.map((l) => ({
      address: l.address.toLowerCase().slice(2),
      topics: l.topics,
      data: l.data,
      blockNumber: null,
    })),
    input: a.ethTx.input,
    from: eth.from.toLowerCase(),
    to: tx.to, // as the request gave it (copied from the transaction)
    transactionProof: null,
    receiptProof: null,
    txProof: null,
    txReceiptProof: null,
    extraData: "",
    message: a.message,
    effectiveGasPrice: "", // v0 transactions: not sent by the node, java-sdk's default
    statusOK: tx.status === 0,
  };
}

export function transactionJson(a: {
  block: FiscoBlock;
  tx: FiscoTx;
  ethTx: EthTx;
  groupId: string;
}): Record<string, unknown> {
  const { ethTx } = a;
  const r = ethTx.r.slice(2).padStart(64, "0");
  const s = ethTx.s.slice(2).padStart(64, "0");
  // EIP-155 v → recovery id; FISCO's ECDSA signature layout is r‖s‖v with v 0/1
  const v = Number(BigInt(ethTx.v));
  const recId = v >= 35 ? (v - 35) % 2 : v - 27;
  return {
    version: 0,
    hash: ethTx.hash,
    // FISCO nonces are strings and the node shows their bytes in hex; the devnode's nonce string is
    // the EVM nonce in decimal
    nonce: hexlify(toUtf8Bytes(BigInt(ethTx.nonce).toString(10))).slice(2),
    blockLimit: a.block.number - 1 + BLOCK_LIMIT_RANGE,
    to: a.tx.to,
    from: ethTx.from.toLowerCase(),
    abi: "",
    input: ethTx.input,
    chainID: FISCO_CHAIN_ID,
    groupID: a.groupId,
    extraData: "",
    signature: "0x" + r + s + recId.toString(16).padStart(2, "0"),
    importTime: a.tx.importTime,
    transactionProof: null,
    txProof: null,
    value: "",
    gasPrice: "",
    gasLimit: 0,
    maxFeePerGas: "",
    maxPriorityFeePerGas: "",
    extension: null,
  };
}

export function blockJson(block: FiscoBlock, transactions: unknown[]): Record<string, unknown> {
  const gasUsed = block.txs.reduce((n, t) => n + t.gasUsed, 0n);
  return {
    number: block.number,
    version: BLOCK_VERSION,
    hash: block.hash,
    logsBloom: null,
    txsRoot: rootOf(block.txs.map((t) => t.hash)),
    receiptsRoot: rootOf(block.txs.map(receiptHash)),
    stateRoot: block.stateRoot,
    sealer: 0,
    sealerList: [],
    extraData: "0x",
    gasUsed: gasUsed.toString(10),
    timestamp: block.timestamp,
    parentInfo: block.number === 0 ? [] : [{ blockNumber: block.number - 1, blockHash: block.parentHash }],
    signatureList: [],
    consensusWeights: [],
    transactions,
  };
}
