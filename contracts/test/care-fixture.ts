/**
 * Fixture for the CareProcess and HospitalScore tests: on top of `fixture.ts` (alliance, patient,
 * hospital A with its operator and doctor, all approved) it deploys CareProcess and HospitalScore, and
 * offers a second approved hospital B (own operator and doctor), hospital levels, and signed-action
 * helpers for the four typed-data kinds.
 */
import { Wallet, ZeroAddress, hexlify, randomBytes } from "ethers";
import { expect } from "vitest";
import {
  ContractHandle,
  WebaseError,
  decodeRevertData,
  deployContract,
  domainOf,
  signTypedData,
  type ContractArtifact,
  type TransactionReceipt,
} from "@yyl/sdk";
import { CareProcess, HospitalScore } from "../src/index.ts";
import {
  CARE_STEP,
  careProcessDomain,
  careStepTypedData,
  feedbackTypedData,
  hospitalScoreDomain,
  scoreAdjustmentTypedData,
  visitIdOf,
  visitOpeningTypedData,
} from "../../sdk/src/typed/care.ts";
import {
  CHAIN_ID,
  DECISION,
  activeFixture,
  applyHospital,
  applyPatient,
  decide,
  expectRevert,
  hashOf,
  inTenMinutes,
  newAccount,
  newWallet,
  norm,
  now,
  randomNonce,
  registerDoctor,
  type Chain,
  type Fixture,
} from "./fixture.ts";

export { CARE_STEP };

export interface CareFixture extends Fixture {
  care: ContractHandle;
  score: ContractHandle;
}

/** A hospital besides `fx.hospital`: its identity, operator account and one doctor. */
export interface OtherHospital {
  hospital: Wallet;
  operator: string;
  doctor: Wallet;
}

/** `activeFixture` + CareProcess(alliance, chainId) + HospitalScore(alliance, care, chainId). */
export async function careFixture(chain: Chain): Promise<CareFixture> {
  const fx = await activeFixture(chain);
  const careAddress = await deployContract(chain.client, {
    user: fx.owner,
    artifact: CareProcess,
    args: [fx.alliance.address, CHAIN_ID],
  });
  const scoreAddress = await deployContract(chain.client, {
    user: fx.owner,
    artifact: HospitalScore,
    args: [fx.alliance.address, careAddress, CHAIN_ID],
  });
  const care = new ContractHandle(
    chain.client,
    { address: careAddress, abi: CareProcess.abi, contractName: CareProcess.contractName },
    fx.operator,
  );
  const score = new ContractHandle(
    chain.client,
    { address: scoreAddress, abi: HospitalScore.abi, contractName: HospitalScore.contractName },
    fx.owner,
  );
  return { ...fx, care, score };
}

/** An approved hospital with its own operator, and (unless `withDoctor` is false) an approved doctor. */
export async function otherHospital(fx: Fixture, withDoctor = true): Promise<OtherHospital> {
  const hospital = newWallet();
  const operator = await newAccount(fx.chain, "hospital-b-operator");
  const doctor = newWallet();
  await applyHospital(fx, hospital, operator);
  await decide(fx, hospital.address, DECISION.approve);
  if (withDoctor) {
    await registerDoctor(fx, doctor, hospital.address, { user: operator });
    await decide(fx, doctor.address, DECISION.approve);
  }
  return { hospital, operator, doctor };
}

/** A second approved patient. */
export async function otherPatient(fx: Fixture): Promise<Wallet> {
  const p = newWallet();
  await applyPatient(fx, p);
  await decide(fx, p.address, DECISION.approve);
  return p;
}

// ---- hospital level (AllianceRegistry) -----------------------------------------------------------

const HOSPITAL_LEVEL_TYPES = {
  HospitalLevel: [
    { name: "hospital", type: "address" },
    { name: "level", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Sets a hospital's level with the fixture admin's signature (sent by the alliance owner). */
export async function setLevel(fx: Fixture, hospital: string, level: number): Promise<TransactionReceipt> {
  const nonce = randomNonce();
  const deadline = inTenMinutes();
  const sig = await fx.admin.signTypedData(
    domainOf("AllianceRegistry", CHAIN_ID, fx.alliance.address) as never,
    HOSPITAL_LEVEL_TYPES,
    { hospital, level, nonce, deadline },
  );
  return fx.alliance.send("setHospitalLevel", [hospital, level, nonce, deadline, sig], { user: fx.owner });
}

// ---- CareProcess ---------------------------------------------------------------------------------

let visitCounter = 0n;
/** A fresh visit id for (patient, hospital) at about now (unique within the process). */
export function newVisitId(patient: string, hospital: string): { visitId: string; openedAt: bigint } {
  const openedAt = now() + ++visitCounter;
  return { visitId: visitIdOf(patient, hospital, openedAt), openedAt };
}

export interface SignedArgs {
  nonce: bigint;
  deadline: bigint;
  sig: string;
}

export interface SignOverrides {
  signer?: Wallet;
  nonce?: bigint;
  deadline?: bigint;
}

export async function signVisitOpening(
  cf: CareFixture,
  m: { visitId: string; patient: string; hospital: string },
  o: SignOverrides & { signer: Wallet },
): Promise<SignedArgs> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const td = visitOpeningTypedData(careProcessDomain(CHAIN_ID, cf.care.address), { ...m, nonce, deadline });
  return { nonce, deadline, sig: await signTypedData(o.signer, td) };
}

export interface OpenOpts extends SignOverrides {
  patient?: Wallet;
  /** The hospital in the signed message (defaults to `fx.hospital`). */
  hospital?: string;
  visitId?: string;
  user?: string;
  sig?: string;
}

/** Opens a visit of `o.patient` (default fx.patient) at `o.hospital` (default fx.hospital) sent by fx.operator. */
export async function openVisit(
  cf: CareFixture,
  o: OpenOpts = {},
): Promise<{ visitId: string; receipt: TransactionReceipt; signed: SignedArgs; patient: string }> {
  const patient = o.patient ?? cf.patient;
  const hospital = o.hospital ?? cf.hospital.address;
  const visitId = o.visitId ?? newVisitId(patient.address, hospital).visitId;
  const signed = await signVisitOpening(
    cf,
    { visitId, patient: patient.address, hospital },
    { ...o, signer: o.signer ?? patient },
  );
  const sig = o.sig ?? signed.sig;
  const receipt = await cf.care.send(
    "openVisit",
    [visitId, patient.address, signed.nonce, signed.deadline, sig],
    {
      user: o.user,
    },
  );
  return { visitId, receipt, signed: { ...signed, sig }, patient: patient.address };
}

export interface StepOpts extends SignOverrides {
  doctor?: Wallet;
  contentHash?: string;
  continues?: boolean;
  /** Fields of the signed message that differ from the sent ones. */
  signed?: { visitId?: string; step?: number; contentHash?: string; continues?: boolean };
  user?: string;
  sig?: string;
}

export async function signCareStep(
  cf: CareFixture,
  m: { visitId: string; step: number; contentHash: string; continues: boolean },
  o: SignOverrides & { signer: Wallet },
): Promise<SignedArgs> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const td = careStepTypedData(careProcessDomain(CHAIN_ID, cf.care.address), { ...m, nonce, deadline });
  return { nonce, deadline, sig: await signTypedData(o.signer, td) };
}

export const stepContent = (visitId: string, step: number): string => hashOf(`visit ${visitId} step ${step}`);

/** Records `step` of `visitId` by `o.doctor` (default fx.doctor), sent by `o.user` (default fx.operator). */
export async function recordStep(
  cf: CareFixture,
  visitId: string,
  step: number,
  o: StepOpts = {},
): Promise<{
  receipt: TransactionReceipt;
  signed: SignedArgs;
  doctor: string;
  contentHash: string;
  args: unknown[];
}> {
  const doctor = o.doctor ?? cf.doctor;
  const contentHash = o.contentHash ?? stepContent(visitId, step);
  const continues = o.continues ?? false;
  const signed = await signCareStep(
    cf,
    { visitId, step, contentHash, continues, ...o.signed },
    { ...o, signer: o.signer ?? doctor },
  );
  const sig = o.sig ?? signed.sig;
  const args = [visitId, step, doctor.address, contentHash, continues, signed.nonce, signed.deadline, sig];
  const receipt = await cf.care.send("recordStep", args, { user: o.user });
  return { receipt, signed: { ...signed, sig }, doctor: doctor.address, contentHash, args };
}

/** Step list item: a step code, or `[code, continues]`. */
export type StepSpec = number | [number, boolean];

/** Records the steps in order with fx.doctor; returns their receipts. */
export async function recordSteps(
  cf: CareFixture,
  visitId: string,
  steps: readonly StepSpec[],
  o: Omit<StepOpts, "continues" | "nonce" | "sig" | "signed"> = {},
): Promise<TransactionReceipt[]> {
  const out: TransactionReceipt[] = [];
  for (const s of steps) {
    const [step, continues] = typeof s === "number" ? [s, false] : s;
    out.push((await recordStep(cf, visitId, step, { ...o, continues })).receipt);
  }
  return out;
}

/** Opens a visit of `patient` at fx.hospital and runs the outpatient path 1→2→3→5 to its end. */
export async function finishedVisit(cf: CareFixture, patient: Wallet = cf.patient): Promise<string> {
  const { visitId } = await openVisit(cf, { patient });
  await recordSteps(cf, visitId, [1, 2, 3, 5]);
  return visitId;
}

export async function visitOf(cf: CareFixture, visitId: string): Promise<unknown[]> {
  return norm(Array.from(await cf.care.call<unknown[]>("visitOf", [visitId]))) as unknown[];
}

export async function stepOf(cf: CareFixture, visitId: string, step: number): Promise<unknown[]> {
  return norm(Array.from(await cf.care.call<unknown[]>("stepOf", [visitId, step]))) as unknown[];
}

// ---- HospitalScore -------------------------------------------------------------------------------

export async function signAdjustment(
  cf: CareFixture,
  m: { hospital: string; reasonCode: number; delta: bigint; evidenceHash: string },
  o: SignOverrides = {},
): Promise<SignedArgs> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const td = scoreAdjustmentTypedData(hospitalScoreDomain(CHAIN_ID, cf.score.address), {
    ...m,
    nonce,
    deadline,
  });
  return { nonce, deadline, sig: await signTypedData(o.signer ?? cf.admin, td) };
}

export interface AdjustOpts extends SignOverrides {
  hospital?: string;
  evidenceHash?: string;
  user?: string;
  sig?: string;
}

/** Adjusts fx.hospital's score (signed by fx.admin, sent by fx.owner unless overridden). */
export async function adjust(
  cf: CareFixture,
  reasonCode: number,
  delta: bigint,
  o: AdjustOpts = {},
): Promise<{ receipt: TransactionReceipt; signed: SignedArgs; evidenceHash: string; hospital: string }> {
  const hospital = o.hospital ?? cf.hospital.address;
  const evidenceHash = o.evidenceHash ?? hashOf(`evidence ${hexlify(randomBytes(8))}`);
  const signed = await signAdjustment(cf, { hospital, reasonCode, delta, evidenceHash }, o);
  const sig = o.sig ?? signed.sig;
  const receipt = await cf.score.send(
    "adjust",
    [hospital, reasonCode, delta, evidenceHash, signed.nonce, signed.deadline, sig],
    { user: o.user },
  );
  return { receipt, signed: { ...signed, sig }, evidenceHash, hospital };
}

export async function signFeedback(
  cf: CareFixture,
  m: { visitId: string; rating: number; commentHash: string },
  o: SignOverrides & { signer: Wallet },
): Promise<SignedArgs> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const td = feedbackTypedData(hospitalScoreDomain(CHAIN_ID, cf.score.address), { ...m, nonce, deadline });
  return { nonce, deadline, sig: await signTypedData(o.signer, td) };
}

export interface FeedbackOpts extends SignOverrides {
  commentHash?: string;
  user?: string;
  sig?: string;
}

/** Gives feedback on `visitId` signed by fx.patient (unless `o.signer`), sent by fx.owner (unless `o.user`). */
export async function giveFeedback(
  cf: CareFixture,
  visitId: string,
  rating: number,
  o: FeedbackOpts = {},
): Promise<{ receipt: TransactionReceipt; signed: SignedArgs; commentHash: string }> {
  const commentHash = o.commentHash ?? hashOf(`comment ${hexlify(randomBytes(8))}`);
  const signed = await signFeedback(
    cf,
    { visitId, rating, commentHash },
    { ...o, signer: o.signer ?? cf.patient },
  );
  const sig = o.sig ?? signed.sig;
  const receipt = await cf.score.send(
    "feedback",
    [visitId, rating, commentHash, signed.nonce, signed.deadline, sig],
    { user: o.user },
  );
  return { receipt, signed: { ...signed, sig }, commentHash };
}

export async function scoreOf(cf: CareFixture, hospital: string = cf.hospital.address): Promise<unknown[]> {
  return norm(Array.from(await cf.score.call<unknown[]>("scoreOf", [hospital]))) as unknown[];
}

// ---- assertions ----------------------------------------------------------------------------------

/** Block time (ms) of the block holding a receipt. */
export async function blockTimeOf(cf: Fixture, receipt: TransactionReceipt): Promise<bigint> {
  const b = await cf.chain.client.blockByNumber(Number(receipt.blockNumber));
  if (!b) throw new Error(`no block ${receipt.blockNumber}`);
  return BigInt(b.timestamp);
}

/** Expects `SignatureExpired(deadline, nowMs)` with nowMs = the block time of the failed transaction. */
export async function expectExpired(cf: Fixture, p: Promise<unknown>, deadline: bigint): Promise<void> {
  const err = await expectRevert(p, "SignatureExpired");
  const nowMs = await blockTimeOf(cf, err.receipt);
  expect(norm(Array.from(err.errorArgs))).toEqual([deadline, nowMs]);
  expect(nowMs > deadline).toBe(true);
}

/** Expects deploying `artifact` with `args` to fail with the custom error `errorName(args...)`. */
export async function expectDeployRevert(
  fx: Fixture,
  artifact: ContractArtifact,
  args: readonly unknown[],
  errorName: string,
  errorArgs: readonly unknown[] = [],
): Promise<void> {
  let caught: unknown;
  try {
    await deployContract(fx.chain.client, { user: fx.owner, artifact, args });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WebaseError);
  const receipt = (caught as WebaseError).data as TransactionReceipt;
  const decoded = decodeRevertData(receipt.output, artifact.abi);
  expect(decoded?.errorName).toBe(errorName);
  expect(norm(Array.from(decoded?.errorArgs ?? []))).toEqual(norm(errorArgs));
}

/** A deadline that has passed. */
export const pastDeadline = (): bigint => now() - 1_000n;

export const ZERO = ZeroAddress;
