// Ethereum JSON-RPC objects (from EDR) → FISCO BCOS 3.x shapes as WeBASE-Front 3.x returns them
// (java-sdk v3 TransactionReceipt / BcosBlock / JsonTransactionResponse serialised by Jackson).
import { getAddress, keccak256, solidityPacked } from "ethers";

export interface EthLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
}

export interface EthReceipt {
  transactionHash: string;
  blockHash: string;
  blockNumber: string;
  from: string;
  to: string | null;
  gasUsed: string;
  contractAddress: string | null;
  logs: EthLog[];
  status: string;
}

export interface EthTx {
  hash: string;
  blockHash: string;
  blockNumber: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  input: string;
  nonce: string;
  gas: string;
  r: string;
  s: string;
  v: string;
}

export interface EthBlock {
  number: string;
  hash: string;
  parentHash: string;
  logsBloom: string;
  transactionsRoot: string;
  receiptsRoot: string;
  stateRoot: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  transactions: EthTx[];
}

export interface FiscoLogEntry {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
}

export interface FiscoReceipt {
  version: number;
  contractAddress: string;
  checksumContractAddress: string;
  gasUsed: string;
  status: number;
  blockNumber: number;
  output: string;
  transactionHash: string;
  hash: string;
  logEntries: FiscoLogEntry[];
  input: string;
  from: string;
  to: string;
  transactionProof: null;
  receiptProof: null;
  message: string;
  statusOK: boolean;
}

/** FISCO BCOS TransactionStatus values used here. */
export const TxStatus = { None: 0, OutOfGas: 12, RevertInstruction: 16 } as const;

const dec = (hex: string): number => Number(BigInt(hex));

export function toFiscoReceipt(rc: EthReceipt, tx: EthTx, output: string, reason: string): FiscoReceipt {
  const ok = rc.status === "0x1";
  let status: number = TxStatus.None;
  let message = "Success";
  if (!ok) {
    // EDR reports only success/failure. No revert data and every unit of gas burnt is an
    // out-of-gas (or invalid opcode) halt; anything else is a REVERT.
    const outOfGas = (output === "0x" || output === "") && BigInt(rc.gasUsed) === BigInt(tx.gas);
    status = outOfGas ? TxStatus.OutOfGas : TxStatus.RevertInstruction;
    message = reason || (outOfGas ? "OutOfGas" : "RevertInstruction");
  }
  const contractAddress = rc.contractAddress ? rc.contractAddress.toLowerCase() : "";
  const blockNumber = dec(rc.blockNumber);
  return {
    version: 0,
    // FISCO 3.x leaves contractAddress empty for calls and `to` empty for deployments.
    contractAddress,
    checksumContractAddress: contractAddress ? getAddress(contractAddress) : "",
    gasUsed: BigInt(rc.gasUsed).toString(10),
    status,
    blockNumber,
    output,
    transactionHash: rc.transactionHash,
    // FISCO receipts have their own hash; derive a stable one from what identifies this receipt.
    hash: keccak256(
      solidityPacked(["bytes32", "bytes32", "uint256"], [rc.blockHash, rc.transactionHash, status]),
    ),
    logEntries: rc.logs.map((l) => ({
      address: l.address.toLowerCase(),
      topics: l.topics,
      data: l.data,
      blockNumber: dec(l.blockNumber),
    })),
    input: tx.input,
    from: rc.from.toLowerCase(),
    to: rc.to ? rc.to.toLowerCase() : "",
    transactionProof: null,
    receiptProof: null,
    message,
    statusOK: ok,
  };
}

export function toFiscoTransaction(tx: EthTx, groupId: string, timestampMs: number): Record<string, unknown> {
  const blockNumber = dec(tx.blockNumber);
  const r = tx.r.slice(2).padStart(64, "0");
  const s = tx.s.slice(2).padStart(64, "0");
  // EIP-155 v → recovery id (0/1), FISCO's ECDSA signature layout is r‖s‖v.
  const vNum = Number(BigInt(tx.v));
  const recId = vNum >= 35 ? (vNum - 35) % 2 : vNum - 27;
  return {
    version: 0,
    hash: tx.hash,
    nonce: BigInt(tx.nonce).toString(10),
    // FISCO clients set blockLimit to head + 500 when signing; the head then was blockNumber - 1.
    blockLimit: blockNumber - 1 + 500,
    to: tx.to ? tx.to.toLowerCase() : "",
    from: tx.from.toLowerCase(),
    abi: "",
    input: tx.input,
    chainID: "chain0",
    groupID: groupId,
    extraData: "",
    signature: "0x" + r + s + recId.toString(16).padStart(2, "0"),
    importTime: timestampMs,
    transactionProof: null,
    // not in FISCO's JsonTransactionResponse, but handy and harmless
    blockNumber,
    blockHash: tx.blockHash,
    transactionIndex: dec(tx.transactionIndex),
    gas: BigInt(tx.gas).toString(10),
  };
}

export function toFiscoBlock(b: EthBlock, groupId: string): Record<string, unknown> {
  const number = dec(b.number);
  const timestamp = dec(b.timestamp); // already ms: the devnode sets every block time in ms
  return {
    number,
    version: 0,
    hash: b.hash,
    // 3.x blocks list parents in parentInfo; parentHash kept for 2.x-style clients
    parentHash: b.parentHash,
    parentInfo: number === 0 ? [] : [{ blockNumber: number - 1, blockHash: b.parentHash }],
    logsBloom: b.logsBloom,
    txsRoot: b.transactionsRoot,
    transactionsRoot: b.transactionsRoot,
    receiptsRoot: b.receiptsRoot,
    stateRoot: b.stateRoot,
    sealer: 0,
    sealerList: [],
    extraData: b.extraData,
    gasLimit: BigInt(b.gasLimit).toString(10),
    gasUsed: BigInt(b.gasUsed).toString(10),
    timestamp,
    signatureList: [],
    consensusWeights: [],
    transactions: b.transactions.map((t) => toFiscoTransaction(t, groupId, timestamp)),
  };
}
