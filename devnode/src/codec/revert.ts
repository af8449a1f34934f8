// Failure statuses and the texts clients see for them.
//  - FISCO BCOS 3.x maps EVM results to TransactionStatus and writes an Error(string) into the output
//    for halts other than REVERT (FB transaction-executor/bcos-transaction-executor/EVMCResult.cpp,
//    evmcStatusToErrorMessage; the same texts in bcos-executor TransactionExecutive.cpp).
//  - java-sdk reads a reason only out of Error(string) data (transaction/codec/decode/
//    RevertMessageParser.java); anything else is described by its status (model/TransactionReceiptStatus.java).
import { AbiCoder, concat } from "ethers";

const coder = AbiCoder.defaultAbiCoder();

export const TxStatus = {
  None: 0,
  BadInstruction: 10,
  OutOfGas: 12,
  RevertInstruction: 16,
} as const;

/** java-sdk TransactionReceiptStatus texts (status → message). */
const STATUS_TEXT: Record<number, string> = {
  0: "Success",
  1: "Unknown",
  2: "OutOfGasLimit",
  7: "Not enough cash",
  10: "Bad instruction",
  11: "Bad jump destination",
  12: "Out-of-gas during VM execution",
  13: "Out of stack",
  14: "Stack underflow",
  15: "Precompiled error",
  16: "Revert instruction",
  17: "ContractAddressAlreadyUsed",
  18: "Permission denied",
  19: "Call address error",
  20: "GasOverflow",
  21: "ContractFrozen",
  22: "AccountFrozen",
  23: "AccountAbolished",
  24: "ContractAbolished",
  32: "WASMValidationFailure, check the bin file is valid",
  33: "WASMArgumentOutOfRange",
  34: "WASMUnreachableInstruction",
  35: "WASMTrap",
};

/** The node's writeErrInfoToOutput: Error(string) ABI data (keccak selector: ECDSA groups only). */
export function errorOutput(message: string): string {
  return concat(["0x08c379a0", coder.encode(["string"], [message])]);
}

/** RevertMessageParser.tryResolveRevertMessage: the Error(string) text, when status ≠ 0 and the output is one. */
export function revertReason(status: number, output: string | null | undefined): string | undefined {
  if (!output || status === 0) return undefined;
  const hex = output.startsWith("0x") ? output.slice(2) : output;
  if (!hex.startsWith("08c379a0") && !hex.startsWith("c703cb12")) return undefined;
  try {
    const [bytes] = coder.decode(["bytes"], "0x" + hex.slice(8));
    return new TextDecoder().decode(Buffer.from((bytes as string).slice(2), "hex"));
  } catch {
    return undefined;
  }
}

/**
 * TransService.decodeReceipt → ReceiptParser: "Success", the Error(string) reason, or the status
 * text (the node's own message — always "" in 3.x receipts — for a status java-sdk does not know).
 */
export function receiptMessage(status: number, output: string, nodeMessage = ""): string {
  if (status === 0) return "Success";
  return revertReason(status, output) ?? STATUS_TEXT[status] ?? nodeMessage;
}

/** TransService.handleCall: the one-element answer to a call that did not succeed. */
export function callErrorText(status: number, output: string): string {
  return `Call contract return error: ${revertReason(status, output) ?? `call contract error of status:${status}`}`;
}

/**
 * EDR tells a failure by its error message only. REVERT keeps its data; "ran out of gas" and "invalid
 * opcode" become FISCO's statuses with the node's Error(string) texts. EDR reports other exceptional
 * halts (bad jump destination, stack underflow…) like a bare revert, so they come out as status 16.
 */
export function classifyFailure(
  message: string,
  data: string | undefined,
): { status: number; output: string } {
  if (/ran out of gas/i.test(message))
    return { status: TxStatus.OutOfGas, output: errorOutput("Execution out of gas.") };
  if (/invalid opcode/i.test(message)) {
    return { status: TxStatus.BadInstruction, output: errorOutput("Execution invalid/undefined opcode.") };
  }
  return { status: TxStatus.RevertInstruction, output: data ?? "0x" };
}
