/**
 * EIP-712 typed data and constants of the care process (全流程上链) and the hospital score (医院评估),
 * docs/contracts.md §CareProcess and §HospitalScore. Same conventions as `../eip712.ts`: domain
 * `{name, version:"1", chainId, verifyingContract}` with `name` = "CareProcess" / "HospitalScore" and
 * `chainId` the deploy-time constructor argument. The types are registered in `./registry.ts`, so the
 * shared `signTypedData`, `verifyTypedSignature`, `typedDataToJson` and `typedDataFromJson` serve them.
 */
import { getAddress, keccak256, solidityPacked, type TypedDataField } from "ethers";
import { domainOf, type BigNumberish, type Eip712Domain, type TypedData } from "../eip712.ts";
import { ZERO_HASH, bool, bytes32, int256, typedDataOf, uint256, uint8 } from "./build.ts";

// ---- care steps ----------------------------------------------------------------------------------

/** Step codes of a visit (CareProcess). */
export const CARE_STEP = {
  registration: 1,
  ticket: 2,
  consultation: 3,
  labTest: 4,
  paymentDispensing: 5,
  admission: 6,
  discharge: 7,
} as const;
export type CareStepCode = (typeof CARE_STEP)[keyof typeof CARE_STEP];

export interface CareStepInfo {
  code: CareStepCode;
  key: keyof typeof CARE_STEP;
  /** Chinese name. */
  zh: string;
  /** English name. */
  en: string;
  /** Whether the step may be skipped (4 lab test, 6 admission). */
  optional: boolean;
}

/** The seven steps in order, with their Chinese and English names. */
export const CARE_STEPS: readonly CareStepInfo[] = Object.freeze(
  (
    [
      { code: 1, key: "registration", zh: "挂号", en: "registration", optional: false },
      { code: 2, key: "ticket", zh: "取号", en: "ticket", optional: false },
      { code: 3, key: "consultation", zh: "门诊", en: "consultation", optional: false },
      { code: 4, key: "labTest", zh: "化验", en: "lab test", optional: true },
      { code: 5, key: "paymentDispensing", zh: "缴费拿药", en: "payment and dispensing", optional: false },
      { code: 6, key: "admission", zh: "住院", en: "admission", optional: true },
      { code: 7, key: "discharge", zh: "出院", en: "discharge", optional: false },
    ] as const satisfies readonly CareStepInfo[]
  ).map((s) => Object.freeze({ ...s })),
);

/** The step's info, or undefined for a code outside 1..7. */
export function careStepOf(code: number): CareStepInfo | undefined {
  return CARE_STEPS.find((s) => s.code === code);
}

/**
 * The steps that may be recorded next, as CareProcess decides: strictly after `lastStep` (0 = none),
 * skipping only 4 and 6; none once the visit is finished. `continues` may be set only on step 5.
 */
export function nextCareSteps(lastStep: number, finished = false): CareStepCode[] {
  if (finished) return [];
  const out: CareStepCode[] = [];
  for (const s of CARE_STEPS) {
    if (s.code <= lastStep) continue;
    out.push(s.code);
    if (!s.optional) break;
  }
  return out;
}

/** Whether recording `step` (with `continues`) finishes the visit: 5 without continues, or 7. */
export function finishesVisit(step: number, continues: boolean): boolean {
  return step === CARE_STEP.discharge || (step === CARE_STEP.paymentDispensing && !continues);
}

/** visitId = keccak256(abi.encodePacked(address patient, address hospital, uint256 openedAtMs)). */
export function visitIdOf(patient: string, hospital: string, openedAtMs: BigNumberish): string {
  return keccak256(
    solidityPacked(
      ["address", "address", "uint256"],
      [getAddress(patient), getAddress(hospital), BigInt(openedAtMs)],
    ),
  );
}

// ---- hospital score ------------------------------------------------------------------------------

/** Hospital levels (一级 1, 二级 2, 三级 3; 0 = not set). */
export const HOSPITAL_LEVEL = { first: 1, second: 2, third: 3 } as const;

/** Initial score by level (HospitalScore.initialize). */
export const INITIAL_SCORE: Readonly<Record<1 | 2 | 3, number>> = Object.freeze({ 1: 600, 2: 700, 3: 800 });
export const SCORE_MIN = 0;
export const SCORE_MAX = 1000;
/** |delta| of one adjustment is at most this. */
export const SCORE_MAX_DELTA = 100;

/** Reason codes of a score adjustment. */
export const SCORE_REASON = {
  misdiagnosis: 1,
  rescue: 2,
  preVisitService: 3,
  postVisitService: 4,
} as const;
export type ScoreReasonCode = (typeof SCORE_REASON)[keyof typeof SCORE_REASON];

export interface ScoreReasonInfo {
  code: ScoreReasonCode;
  key: keyof typeof SCORE_REASON;
  zh: string;
  en: string;
  /** Required sign of delta: -1 negative, 1 positive, 0 either (never zero). */
  sign: -1 | 0 | 1;
}

export const SCORE_REASONS: readonly ScoreReasonInfo[] = Object.freeze(
  (
    [
      { code: 1, key: "misdiagnosis", zh: "误诊", en: "misdiagnosis", sign: -1 },
      { code: 2, key: "rescue", zh: "疑难杂症救治", en: "rescue of difficult cases", sign: 1 },
      { code: 3, key: "preVisitService", zh: "诊前服务", en: "pre-visit service", sign: 0 },
      { code: 4, key: "postVisitService", zh: "诊后服务", en: "post-visit service", sign: 0 },
    ] as const satisfies readonly ScoreReasonInfo[]
  ).map((r) => Object.freeze({ ...r })),
);

/** Why HospitalScore would refuse (reason, delta), or null when acceptable. */
export function checkAdjustment(reasonCode: number, delta: BigNumberish): string | null {
  const d = BigInt(delta);
  const r = SCORE_REASONS.find((x) => x.code === reasonCode);
  if (!r) return "HospitalScoreInvalidReason";
  if (d === 0n || (r.sign < 0 && d > 0n) || (r.sign > 0 && d < 0n)) return "HospitalScoreInvalidDelta";
  if (d > BigInt(SCORE_MAX_DELTA) || d < -BigInt(SCORE_MAX_DELTA)) return "HospitalScoreDeltaOutOfRange";
  return null;
}

/** Adds `delta` to `score`, clamped to 0–1000, as the contract does. */
export function clampScore(score: BigNumberish, delta: BigNumberish = 0n): bigint {
  const s = BigInt(score) + BigInt(delta);
  return s < BigInt(SCORE_MIN) ? BigInt(SCORE_MIN) : s > BigInt(SCORE_MAX) ? BigInt(SCORE_MAX) : s;
}

// ---- EIP-712 types -------------------------------------------------------------------------------

export const CARE_PROCESS_NAME = "CareProcess";
export const HOSPITAL_SCORE_NAME = "HospitalScore";

export const VISIT_OPENING_TYPES = {
  VisitOpening: [
    { name: "visitId", type: "bytes32" },
    { name: "patient", type: "address" },
    { name: "hospital", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const CARE_STEP_TYPES = {
  CareStep: [
    { name: "visitId", type: "bytes32" },
    { name: "step", type: "uint8" },
    { name: "contentHash", type: "bytes32" },
    { name: "continues", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const SCORE_ADJUSTMENT_TYPES = {
  ScoreAdjustment: [
    { name: "hospital", type: "address" },
    { name: "reasonCode", type: "uint8" },
    { name: "delta", type: "int256" },
    { name: "evidenceHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const FEEDBACK_TYPES = {
  Feedback: [
    { name: "visitId", type: "bytes32" },
    { name: "rating", type: "uint8" },
    { name: "commentHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** The four, keyed by primary type (registered in `./registry.ts`). */
export const CARE_EIP712_TYPES = {
  ...VISIT_OPENING_TYPES,
  ...CARE_STEP_TYPES,
  ...SCORE_ADJUSTMENT_TYPES,
  ...FEEDBACK_TYPES,
} as const;
export type CarePrimaryType = keyof typeof CARE_EIP712_TYPES;

/** The contract (domain name) that verifies each primary type. */
export const CARE_CONTRACT_OF: Readonly<Record<CarePrimaryType, string>> = Object.freeze({
  VisitOpening: CARE_PROCESS_NAME,
  CareStep: CARE_PROCESS_NAME,
  ScoreAdjustment: HOSPITAL_SCORE_NAME,
  Feedback: HOSPITAL_SCORE_NAME,
});

export interface VisitOpeningMessage extends Record<string, unknown> {
  visitId: string;
  patient: string;
  hospital: string;
  nonce: bigint;
  deadline: bigint;
}

export interface CareStepMessage extends Record<string, unknown> {
  visitId: string;
  step: number;
  contentHash: string;
  continues: boolean;
  nonce: bigint;
  deadline: bigint;
}

export interface ScoreAdjustmentMessage extends Record<string, unknown> {
  hospital: string;
  reasonCode: number;
  delta: bigint;
  evidenceHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface FeedbackMessage extends Record<string, unknown> {
  visitId: string;
  rating: number;
  commentHash: string;
  nonce: bigint;
  deadline: bigint;
}

/** The CareProcess domain. */
export function careProcessDomain(chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return domainOf(CARE_PROCESS_NAME, chainId, verifyingContract);
}

/** The HospitalScore domain. */
export function hospitalScoreDomain(chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return domainOf(HOSPITAL_SCORE_NAME, chainId, verifyingContract);
}

/** `VisitOpening(bytes32 visitId,address patient,address hospital,uint256 nonce,uint256 deadline)`, signed by the patient. */
export function visitOpeningTypedData(
  domain: Eip712Domain,
  m: {
    visitId: string | Uint8Array;
    patient: string;
    hospital: string;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<VisitOpeningMessage, "VisitOpening"> {
  return typedDataOf(domain, "VisitOpening", VISIT_OPENING_TYPES.VisitOpening, {
    visitId: bytes32(m.visitId, "visitId"),
    patient: getAddress(m.patient),
    hospital: getAddress(m.hospital),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `CareStep(bytes32 visitId,uint8 step,bytes32 contentHash,bool continues,uint256 nonce,uint256 deadline)`, signed by the doctor. */
export function careStepTypedData(
  domain: Eip712Domain,
  m: {
    visitId: string | Uint8Array;
    step: number;
    contentHash: string | Uint8Array;
    continues?: boolean;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<CareStepMessage, "CareStep"> {
  return typedDataOf(domain, "CareStep", CARE_STEP_TYPES.CareStep, {
    visitId: bytes32(m.visitId, "visitId"),
    step: uint8(m.step, "step"),
    contentHash: bytes32(m.contentHash, "contentHash"),
    continues: bool(m.continues ?? false, "continues"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `ScoreAdjustment(address hospital,uint8 reasonCode,int256 delta,bytes32 evidenceHash,uint256 nonce,uint256 deadline)`, signed by an admin. */
export function scoreAdjustmentTypedData(
  domain: Eip712Domain,
  m: {
    hospital: string;
    reasonCode: number;
    delta: BigNumberish;
    evidenceHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<ScoreAdjustmentMessage, "ScoreAdjustment"> {
  return typedDataOf(domain, "ScoreAdjustment", SCORE_ADJUSTMENT_TYPES.ScoreAdjustment, {
    hospital: getAddress(m.hospital),
    reasonCode: uint8(m.reasonCode, "reasonCode"),
    delta: int256(m.delta, "delta"),
    evidenceHash: bytes32(m.evidenceHash, "evidenceHash"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `Feedback(bytes32 visitId,uint8 rating,bytes32 commentHash,uint256 nonce,uint256 deadline)`, signed by the visit's patient. */
export function feedbackTypedData(
  domain: Eip712Domain,
  m: {
    visitId: string | Uint8Array;
    rating: number;
    commentHash?: string | Uint8Array | null;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<FeedbackMessage, "Feedback"> {
  return typedDataOf(domain, "Feedback", FEEDBACK_TYPES.Feedback, {
    visitId: bytes32(m.visitId, "visitId"),
    rating: uint8(m.rating, "rating"),
    commentHash: bytes32(m.commentHash || ZERO_HASH, "commentHash"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}
