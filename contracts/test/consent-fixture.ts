/**
 * Fixture for the PatientDelegation / ConsentManager / EmergencyAccess tests: on top of
 * `activeFixture` (approved patient, hospital with `fx.operator`, doctor) it deploys the three contracts,
 * approves a second hospital (with its own operator and doctor), and offers signing helpers built on
 * `sdk/src/typed/consent.ts`.
 */
import { Wallet, ZeroAddress } from "ethers";
import type { ContractHandle, TransactionReceipt } from "@yyl/sdk";
import {
  CHAIN_ID,
  activeFixture,
  approvedHospital,
  certifyDoctor,
  deployBeside,
  expectRevert,
  hashOf,
  newAccount,
  newRecord,
  newWallet,
  now,
  sendSigned,
  signAction,
  writeRecord,
  type Chain,
  type Fixture,
  type Signed,
} from "./fixture.ts";
import {
  blacklistLiftTypedData,
  complaintTypedData,
  consentManagerDomain,
  delegationRevocationTypedData,
  delegationTypedData,
  emergencyAccessDomain,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
  grantTypedData,
  patientDelegationDomain,
  revocationTypedData,
} from "../../sdk/src/typed/consent.ts";

export * from "./fixture.ts";

export const ZERO_HASH = `0x${"00".repeat(32)}`;
export const SCOPE = { grant: 1, cosign: 2, complaint: 4 } as const;
export const KIND = { record: 1, category: 2 } as const;
export const LEVEL = { view: 1, research: 2 } as const;
export const REASON = {
  recordGrant: 1,
  categoryGrant: 2,
  noGrant: 10,
  expired: 11,
  blacklisted: 12,
  deleted: 13,
} as const;
export const DAY_MS = 86_400_000n;

export interface ConsentFixture extends Fixture {
  delegation: ContractHandle;
  consent: ContractHandle;
  emergency: ContractHandle;
  /** A second approved hospital, its operator and an approved doctor of it. */
  hospital2: Wallet;
  operator2: string;
  doctor2: Wallet;
  /** A WeBASE account that is not a relayer. */
  stranger: string;
  /** A guardian / family member, and a second (unregistered) patient. */
  delegate: Wallet;
  otherPatient: Wallet;
}

export async function deployConsentFixture(chain: Chain): Promise<ConsentFixture> {
  const fx = await activeFixture(chain);
  const stranger = await newAccount(chain, "stranger");
  const second = await approvedHospital(fx, { withDoctor: true });
  // All three send from hospital A's operator unless a test says otherwise.
  const contracts = await deployBeside(fx, {
    PatientDelegation: fx.operator,
    ConsentManager: fx.operator,
    EmergencyAccess: fx.operator,
  });
  return {
    ...fx,
    delegation: contracts.PatientDelegation,
    consent: contracts.ConsentManager,
    emergency: contracts.EmergencyAccess,
    hospital2: second.hospital,
    operator2: second.operator,
    doctor2: second.doctor,
    stranger,
    delegate: newWallet(),
    otherPatient: newWallet(),
  };
}

/** `deployConsentFixture` plus a record of `fx.patient` by `fx.doctor`: what the consent and emergency tests start from. */
export async function consentFixtureWithRecord(
  chain: Chain,
): Promise<{ fx: ConsentFixture; recordId: string }> {
  const fx = await deployConsentFixture(chain);
  return { fx, recordId: await writeRecordOf(fx) };
}

/** The operator account that sends for `doctor`'s hospital (hospital B's for `fx.doctor2`). */
const operatorOf = (fx: ConsentFixture, doctor: Wallet): string =>
  doctor === fx.doctor2 ? fx.operator2 : fx.operator;

// ---- records ---------------------------------------------------------------------------------------

/** Writes a record of `fx.patient` by `fx.doctor` (hospital `fx.hospital`) with a fresh id; returns the id. */
export async function writeRecordOf(
  fx: ConsentFixture,
  o: { doctor?: Wallet; operator?: string; patient?: Wallet } = {},
): Promise<string> {
  const doctor = o.doctor ?? fx.doctor;
  const patient = o.patient ?? fx.patient;
  const r = newRecord(fx, {
    patient: patient.address,
    doctor: doctor.address,
    hospital: doctor === fx.doctor2 ? fx.hospital2.address : fx.hospital.address,
    // Spread over ~17 minutes: several records of one patient written within a millisecond get distinct ids.
    createdAt: now() + BigInt(Math.floor(Math.random() * 1_000_000)),
  });
  await writeRecord(fx, r, {
    patientSigner: patient,
    doctorSigner: doctor,
    user: o.operator ?? operatorOf(fx, doctor),
  });
  return r.recordId;
}

/** Certifies `doctor` (sent by the operator of the doctor's hospital), valid for a day unless `expiresAt`. */
export function certify(
  fx: ConsentFixture,
  doctor: Wallet = fx.doctor,
  expiresAt: bigint = now() + DAY_MS,
): Promise<TransactionReceipt> {
  return certifyDoctor(fx, {
    doctor: doctor.address,
    credentialHash: hashOf("credential"),
    department: hashOf("emergency"),
    expiresAt,
    user: operatorOf(fx, doctor),
  });
}

// ---- signing ---------------------------------------------------------------------------------------

export interface Opts {
  nonce?: bigint;
  deadline?: bigint;
}

/** Who signs, who sends, or a ready signature (to send a forged or replayed one). */
export type TxOpts = Opts & { signer?: Wallet; user?: string; sig?: Signed };

export function delegationDomain(fx: ConsentFixture) {
  return patientDelegationDomain(CHAIN_ID, fx.delegation.address);
}
export function consentDomain(fx: ConsentFixture) {
  return consentManagerDomain(CHAIN_ID, fx.consent.address);
}
export function emergencyDomain(fx: ConsentFixture) {
  return emergencyAccessDomain(CHAIN_ID, fx.emergency.address);
}

export interface DelegationInput {
  patient: string;
  delegate: string;
  scopes: number;
  validFrom: bigint;
  validUntil: bigint;
}

export function signDelegation(
  fx: ConsentFixture,
  signer: Wallet,
  d: DelegationInput,
  o: Opts = {},
): Promise<Signed> {
  return signAction(signer, o, (nd) => delegationTypedData(delegationDomain(fx), { ...d, ...nd }));
}

/** Sends `delegate` for `d` (signed by `signer`, default the patient `fx.patient`). */
export async function delegateTx(
  fx: ConsentFixture,
  over: Partial<DelegationInput> = {},
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; d: DelegationInput; s: Signed }> {
  const d: DelegationInput = {
    patient: fx.patient.address,
    delegate: fx.delegate.address,
    scopes: 7,
    validFrom: now() - 1000n,
    validUntil: now() + DAY_MS,
    ...over,
  };
  const s = o.sig ?? (await signDelegation(fx, o.signer ?? fx.patient, d, o));
  const receipt = await sendSigned(
    fx.delegation,
    "delegate",
    [d.patient, d.delegate, d.scopes, d.validFrom, d.validUntil],
    s,
    o.user,
  );
  return { receipt, d, s };
}

export async function revokeDelegationTx(
  fx: ConsentFixture,
  patient: string,
  delegate: string,
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; s: Signed }> {
  const s =
    o.sig ??
    (await signAction(o.signer ?? fx.patient, o, (nd) =>
      delegationRevocationTypedData(delegationDomain(fx), { patient, delegate, ...nd }),
    ));
  const receipt = await sendSigned(fx.delegation, "revokeDelegation", [patient, delegate], s, o.user);
  return { receipt, s };
}

export interface GrantInput {
  patient: string;
  scope: string;
  scopeKind: number;
  grantee: string;
  level: number;
  expiresAt: bigint;
}

export async function grantTx(
  fx: ConsentFixture,
  g: Partial<GrantInput> & { scope: string },
  o: TxOpts & { signerAddress?: string } = {},
): Promise<{ receipt: TransactionReceipt; g: GrantInput; s: Signed; signer: string }> {
  const full: GrantInput = {
    patient: fx.patient.address,
    scopeKind: KIND.record,
    grantee: fx.hospital2.address,
    level: LEVEL.view,
    expiresAt: now() + DAY_MS,
    ...g,
  };
  const signer = o.signer ?? fx.patient;
  const s =
    o.sig ?? (await signAction(signer, o, (nd) => grantTypedData(consentDomain(fx), { ...full, ...nd })));
  const signerAddress = o.signerAddress ?? signer.address;
  const receipt = await fx.consent.send(
    "grant",
    [
      full.patient,
      full.scope,
      full.scopeKind,
      full.grantee,
      full.level,
      full.expiresAt,
      s.nonce,
      s.deadline,
      signerAddress,
      s.sig,
    ],
    { user: o.user },
  );
  return { receipt, g: full, s, signer: signerAddress };
}

export async function revokeTx(
  fx: ConsentFixture,
  r: { patient?: string; scope: string; grantee?: string },
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; s: Signed }> {
  const patient = r.patient ?? fx.patient.address;
  const grantee = r.grantee ?? fx.hospital2.address;
  const signer = o.signer ?? fx.patient;
  const s =
    o.sig ??
    (await signAction(signer, o, (nd) =>
      revocationTypedData(consentDomain(fx), { patient, scope: r.scope, grantee, ...nd }),
    ));
  const receipt = await fx.consent.send(
    "revoke",
    [patient, r.scope, grantee, s.nonce, s.deadline, signer.address, s.sig],
    { user: o.user },
  );
  return { receipt, s };
}

export async function liftTx(
  fx: ConsentFixture,
  requester: string,
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; s: Signed }> {
  const s =
    o.sig ??
    (await signAction(o.signer ?? fx.admin, o, (nd) =>
      blacklistLiftTypedData(consentDomain(fx), { requester, ...nd }),
    ));
  const receipt = await sendSigned(fx.consent, "liftBlacklist", [requester], s, o.user);
  return { receipt, s };
}

export async function complaintTx(
  fx: ConsentFixture,
  c: { patient?: string; subject?: string; evidenceHash?: string } = {},
  o: TxOpts = {},
): Promise<{
  receipt: TransactionReceipt;
  s: Signed;
  patient: string;
  subject: string;
  evidenceHash: string;
}> {
  const patient = c.patient ?? fx.patient.address;
  const subject = c.subject ?? hashOf("subject");
  const evidenceHash = c.evidenceHash ?? hashOf("evidence");
  const signer = o.signer ?? fx.patient;
  const s =
    o.sig ??
    (await signAction(signer, o, (nd) =>
      complaintTypedData(consentDomain(fx), { patient, subject, evidenceHash, ...nd }),
    ));
  const receipt = await fx.consent.send(
    "fileComplaint",
    [patient, subject, evidenceHash, s.nonce, s.deadline, signer.address, s.sig],
    { user: o.user },
  );
  return { receipt, s, patient, subject, evidenceHash };
}

export async function breakGlassTx(
  fx: ConsentFixture,
  recordId: string,
  over: { doctor?: Wallet; doctorAddress?: string; reasonCode?: number; justificationHash?: string } = {},
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; s: Signed; reasonCode: number; justificationHash: string }> {
  const doctor = over.doctor ?? fx.doctor;
  const reasonCode = over.reasonCode ?? 1;
  const justificationHash = over.justificationHash ?? hashOf("unconscious on arrival");
  const s =
    o.sig ??
    (await signAction(o.signer ?? doctor, o, (nd) =>
      emergencyAccessTypedData(emergencyDomain(fx), { recordId, reasonCode, justificationHash, ...nd }),
    ));
  const receipt = await sendSigned(
    fx.emergency,
    "breakGlass",
    [recordId, over.doctorAddress ?? doctor.address, reasonCode, justificationHash],
    s,
    o.user ?? operatorOf(fx, doctor),
  );
  return { receipt, s, reasonCode, justificationHash };
}

export async function reviewTx(
  fx: ConsentFixture,
  accessId: bigint,
  outcome: number,
  o: TxOpts = {},
): Promise<{ receipt: TransactionReceipt; s: Signed }> {
  const s =
    o.sig ??
    (await signAction(o.signer ?? fx.admin, o, (nd) =>
      emergencyReviewTypedData(emergencyDomain(fx), { accessId, outcome, ...nd }),
    ));
  const receipt = await sendSigned(fx.emergency, "reviewEmergency", [accessId, outcome], s, o.user);
  return { receipt, s };
}

export { ZeroAddress };

/**
 * ConsentManager.setBlacklistPolicy and EmergencyAccess.setRateLimit set the same kind of policy, a count
 * within a window: only the owner may set it, and a zero count, a zero window or a count above 1000 are
 * refused. `valid` is a policy the owner could set; `errorPrefix` the contract's error prefix.
 */
export async function expectPolicySetterChecks(
  fx: Fixture,
  handle: ContractHandle,
  fn: string,
  errorPrefix: string,
  valid: [count: number, windowMs: number],
): Promise<void> {
  const [count, windowMs] = valid;
  await expectRevert(handle.send(fn, valid), `${errorPrefix}NotOwner`, [fx.operator]);
  for (const invalid of [
    [0, windowMs],
    [count, 0],
    [1001, 1],
  ]) {
    await expectRevert(handle.send(fn, invalid, { user: fx.owner }), `${errorPrefix}InvalidPolicy`, invalid);
  }
}

/** Mines a block (a harmless transaction), so that views see the current time: calls run at the latest block's time. */
export async function tick(fx: ConsentFixture): Promise<void> {
  await fx.alliance.send("addAdmin", [newWallet().address], { user: fx.owner });
}
