/**
 * Fixture for the CareProcess and HospitalScore tests: on top of `fixture.ts` (alliance, patient,
 * hospital A with its operator and doctor, all approved) it deploys CareProcess and HospitalScore, and
 * offers a second approved patient and signed-action helpers for the four typed-data kinds. A second
 * hospital is fixture.ts's `approvedHospital`, hospital levels its `setHospitalLevel`.
 */
import { Wallet, ZeroAddress, hexlify, randomBytes } from "ethers";
import { expect } from "vitest";
import {
  WebaseError,
  decodeRevertData,
  deployContract,
  type ContractArtifact,
  type ContractHandle,
  type TransactionReceipt,
} from "@yyl/sdk";
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
  applyPatient,
  blockTimeOf,
  decide,
  deployBeside,
  expectRevert,
  hashOf,
  newWallet,
  norm,
  now,
  sendSigned,
  signAction,
  type Chain,
  type Fixture,
  type Signed,
} from "./fixture.ts";

export { CARE_STEP };

export interface CareFixture extends Fixture {
  care: ContractHandle;
  score: ContractHandle;
}

/** `activeFixture` + CareProcess(alliance, chainId) + HospitalScore(alliance, care, chainId). */
export async function careFixture(chain: Chain): Promise<CareFixture> {
  const fx = await activeFixture(chain);
  // Visits are opened and stepped by hospital A's operator; score adjustments are relayed by the owner.
  const { CareProcess: care, HospitalScore: score } = await deployBeside(fx, {
    CareProcess: fx.operator,
    HospitalScore: fx.owner,
  });
  return { ...fx, care, score };
}

/** A second approved patient. */
export async function otherPatient(fx: Fixture): Promise<Wallet> {
  const p = newWallet();
  await applyPatient(fx, p);
  await decide(fx, p.address, DECISION.approve);
  return p;
}

// ---- CareProcess ---------------------------------------------------------------------------------

let visitCounter = 0n;
/** A fresh visit id for (patient, hospital) at about now (unique within the process). */
export function newVisitId(patient: string, hospital: string): { visitId: string; openedAt: bigint } {
  const openedAt = now() + ++visitCounter;
  return { visitId: visitIdOf(patient, hospital, openedAt), openedAt };
}

const careDomain = (cf: CareFixture) => careProcessDomain(CHAIN_ID, cf.care.address);
const scoreDomain = (cf: CareFixture) => hospitalScoreDomain(CHAIN_ID, cf.score.address);

/** The signed action, its signature replaced by `sig` when a test sends a forged or foreign one. */
const withSig = (signed: Signed, sig: string | undefined): Signed => ({ ...signed, sig: sig ?? signed.sig });

export interface SignOverrides {
  signer?: Wallet;
  nonce?: bigint;
  deadline?: bigint;
}

export function signVisitOpening(
  cf: CareFixture,
  m: { visitId: string; patient: string; hospital: string },
  o: SignOverrides & { signer: Wallet },
): Promise<Signed> {
  return signAction(o.signer, o, (nd) => visitOpeningTypedData(careDomain(cf), { ...m, ...nd }));
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
): Promise<{ visitId: string; receipt: TransactionReceipt; signed: Signed; patient: string }> {
  const patient = o.patient ?? cf.patient;
  const hospital = o.hospital ?? cf.hospital.address;
  const visitId = o.visitId ?? newVisitId(patient.address, hospital).visitId;
  const signed = withSig(
    await signVisitOpening(
      cf,
      { visitId, patient: patient.address, hospital },
      { ...o, signer: o.signer ?? patient },
    ),
    o.sig,
  );
  const receipt = await sendSigned(cf.care, "openVisit", [visitId, patient.address], signed, o.user);
  return { visitId, receipt, signed, patient: patient.address };
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

export function signCareStep(
  cf: CareFixture,
  m: { visitId: string; step: number; contentHash: string; continues: boolean },
  o: SignOverrides & { signer: Wallet },
): Promise<Signed> {
  return signAction(o.signer, o, (nd) => careStepTypedData(careDomain(cf), { ...m, ...nd }));
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
  signed: Signed;
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

export function signAdjustment(
  cf: CareFixture,
  m: { hospital: string; reasonCode: number; delta: bigint; evidenceHash: string },
  o: SignOverrides = {},
): Promise<Signed> {
  return signAction(o.signer ?? cf.admin, o, (nd) =>
    scoreAdjustmentTypedData(scoreDomain(cf), { ...m, ...nd }),
  );
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
): Promise<{ receipt: TransactionReceipt; signed: Signed; evidenceHash: string; hospital: string }> {
  const hospital = o.hospital ?? cf.hospital.address;
  const evidenceHash = o.evidenceHash ?? hashOf(`evidence ${hexlify(randomBytes(8))}`);
  const signed = withSig(await signAdjustment(cf, { hospital, reasonCode, delta, evidenceHash }, o), o.sig);
  const receipt = await sendSigned(
    cf.score,
    "adjust",
    [hospital, reasonCode, delta, evidenceHash],
    signed,
    o.user,
  );
  return { receipt, signed, evidenceHash, hospital };
}

export function signFeedback(
  cf: CareFixture,
  m: { visitId: string; rating: number; commentHash: string },
  o: SignOverrides & { signer: Wallet },
): Promise<Signed> {
  return signAction(o.signer, o, (nd) => feedbackTypedData(scoreDomain(cf), { ...m, ...nd }));
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
): Promise<{ receipt: TransactionReceipt; signed: Signed; commentHash: string }> {
  const commentHash = o.commentHash ?? hashOf(`comment ${hexlify(randomBytes(8))}`);
  const signed = withSig(
    await signFeedback(cf, { visitId, rating, commentHash }, { ...o, signer: o.signer ?? cf.patient }),
    o.sig,
  );
  const receipt = await sendSigned(cf.score, "feedback", [visitId, rating, commentHash], signed, o.user);
  return { receipt, signed, commentHash };
}

export async function scoreOf(cf: CareFixture, hospital: string = cf.hospital.address): Promise<unknown[]> {
  return norm(Array.from(await cf.score.call<unknown[]>("scoreOf", [hospital]))) as unknown[];
}

// ---- assertions ----------------------------------------------------------------------------------

/** Expects `SignatureExpired(deadline, nowMs)` with nowMs = the block time of the failed transaction. */
export async function expectExpired(cf: Fixture, p: Promise<unknown>, deadline: bigint): Promise<void> {
  const err = await expectRevert(p, "SignatureExpired");
  const nowMs = await blockTimeOf(cf, err.receipt);
  expect(norm(Array.from(err.errorArgs))).toEqual([deadline, nowMs]);
  expect(nowMs > deadline).toBe(true);
}

/**
 * Expects deploying `artifact` with `args` to fail with the custom error `errorName(args...)`. WeBASE-Front
 * answers a failed deployment with 201014 and no receipt, so the revert data is read from the receipt of
 * the owner's failed deployment in the head block (the devnode runs here in its one-transaction-per-block
 * mode; a real chain's block would hold it too).
 */
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
  expect((caught as WebaseError).code).toBe(201014);
  const receipts = await fx.chain.client.receiptsOfBlock(await fx.chain.client.blockNumber());
  const receipt = receipts.find((r) => !r.statusOK && r.from === fx.owner.toLowerCase() && !r.to);
  expect(receipt, "the failed deployment's receipt").toBeDefined();
  const decoded = decodeRevertData(receipt!.output, artifact.abi);
  expect(decoded?.errorName).toBe(errorName);
  expect(norm(Array.from(decoded?.errorArgs ?? []))).toEqual(norm(errorArgs));
}

/** A deadline that has passed. */
export const pastDeadline = (): bigint => now() - 1_000n;

export const ZERO = ZeroAddress;
