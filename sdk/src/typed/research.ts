/**
 * EIP-712 typed data of ResearchAllocation (docs/contracts.md): every action on a research project is
 * signed by an alliance admin as
 * `ResearchAction(bytes32 projectId,uint8 action,address subject,uint256 amount,bytes32 dataHash,uint256 nonce,uint256 deadline)`
 * in the domain `{name: "ResearchAllocation", version: "1", chainId, verifyingContract}`. The type is
 * registered in `./registry.ts`, so the shared `signTypedData`, `verifyTypedSignature`,
 * `typedDataToJson` and `typedDataFromJson` serve it.
 */
import { getAddress, type TypedDataField } from "ethers";
import type { BigNumberish, Eip712Domain, TypedData } from "../eip712.ts";
import { ZERO_ADDRESS, ZERO_HASH, bytes32, typedDataOf, uint256 } from "./build.ts";

export const RESEARCH_ALLOCATION_NAME = "ResearchAllocation";

/** Action codes. */
export const RESEARCH_ACTION = {
  create: 1,
  addMember: 2,
  commitInputs: 3,
  allocate: 4,
  finalize: 5,
} as const;
export type ResearchActionName = keyof typeof RESEARCH_ACTION;
export type ResearchActionCode = (typeof RESEARCH_ACTION)[ResearchActionName];

export const RESEARCH_ACTION_TYPES = {
  ResearchAction: [
    { name: "projectId", type: "bytes32" },
    { name: "action", type: "uint8" },
    { name: "subject", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "dataHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** The contract (domain name) that verifies the type. */
export const RESEARCH_CONTRACT_OF: Readonly<Record<keyof typeof RESEARCH_ACTION_TYPES, string>> =
  Object.freeze({
    ResearchAction: RESEARCH_ALLOCATION_NAME,
  });

export interface ResearchActionMessage extends Record<string, unknown> {
  projectId: string;
  action: number;
  subject: string;
  amount: bigint;
  dataHash: string;
  nonce: bigint;
  deadline: bigint;
}

function actionCode(v: number): ResearchActionCode {
  if (!(Object.values(RESEARCH_ACTION) as number[]).includes(v))
    throw new TypeError(`action: not a research action code (1–5): ${v}`);
  return v as ResearchActionCode;
}

/**
 * The generic builder. Fields an action does not use are zero: create (amount = total, dataHash =
 * description hash), add member (subject = hospital), commit inputs (dataHash = inputs hash), allocate
 * (subject = member, amount), finalize (none).
 */
export function researchActionTypedData(
  domain: Eip712Domain,
  m: {
    projectId: string | Uint8Array;
    action: number;
    subject?: string | null;
    amount?: BigNumberish;
    dataHash?: string | Uint8Array | null;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<ResearchActionMessage, "ResearchAction"> {
  return typedDataOf(domain, "ResearchAction", RESEARCH_ACTION_TYPES.ResearchAction, {
    projectId: bytes32(m.projectId, "projectId"),
    action: actionCode(m.action),
    subject: getAddress(m.subject || ZERO_ADDRESS),
    amount: uint256(m.amount ?? 0n, "amount"),
    dataHash: bytes32(m.dataHash || ZERO_HASH, "dataHash"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

interface Signing {
  nonce: BigNumberish;
  deadline: BigNumberish;
}

/** One builder per action, matching the contract functions' arguments. */
export const researchAction = {
  create: (
    d: Eip712Domain,
    m: { projectId: string; total: BigNumberish; descriptionHash: string } & Signing,
  ) =>
    researchActionTypedData(d, {
      projectId: m.projectId,
      action: RESEARCH_ACTION.create,
      amount: m.total,
      dataHash: m.descriptionHash,
      nonce: m.nonce,
      deadline: m.deadline,
    }),
  addMember: (d: Eip712Domain, m: { projectId: string; hospital: string } & Signing) =>
    researchActionTypedData(d, {
      projectId: m.projectId,
      action: RESEARCH_ACTION.addMember,
      subject: m.hospital,
      nonce: m.nonce,
      deadline: m.deadline,
    }),
  commitInputs: (d: Eip712Domain, m: { projectId: string; inputsHash: string } & Signing) =>
    researchActionTypedData(d, {
      projectId: m.projectId,
      action: RESEARCH_ACTION.commitInputs,
      dataHash: m.inputsHash,
      nonce: m.nonce,
      deadline: m.deadline,
    }),
  allocate: (d: Eip712Domain, m: { projectId: string; hospital: string; amount: BigNumberish } & Signing) =>
    researchActionTypedData(d, {
      projectId: m.projectId,
      action: RESEARCH_ACTION.allocate,
      subject: m.hospital,
      amount: m.amount,
      nonce: m.nonce,
      deadline: m.deadline,
    }),
  finalize: (d: Eip712Domain, m: { projectId: string } & Signing) =>
    researchActionTypedData(d, {
      projectId: m.projectId,
      action: RESEARCH_ACTION.finalize,
      nonce: m.nonce,
      deadline: m.deadline,
    }),
} as const;
