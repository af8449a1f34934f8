/**
 * Fixture for the contract tests, and the base of the per-contract fixtures: per test a fresh deployment of
 * AllianceRegistry + EmrRegistry with fresh wallets, on the test file's devnode (./devnode.ts); the
 * alliance's signed actions, records and their versions, and the shared assertions.
 */
import { Signature, Wallet, ZeroAddress, hexlify, keccak256, randomBytes, toUtf8Bytes } from "ethers";
import { expect } from "vitest";
import {
  ContractHandle,
  ContractRevertError,
  applicationTypedData,
  decisionTypedData,
  domainOf,
  emrAuthorizationTypedData,
  emrDeletionTypedData,
  emrUpdateTypedData,
  hospitalLevelTypedData,
  recordIdOf,
  signTypedData,
  type TransactionReceipt,
  type TypedData,
} from "@yyl/sdk";
import { delegationTypedData, patientDelegationDomain } from "../../sdk/src/typed/consent.ts";
import { deployContracts, type ContractName } from "./deploy-contracts.ts";
import type { Chain } from "./devnode.ts";

export * from "./devnode.ts";
export { deployContracts } from "./deploy-contracts.ts";

export const CHAIN_ID = 20200n;
export const ROLE = { patient: 1, doctor: 2, hospital: 3 } as const;
export const STATUS = { none: 0, pending: 1, approved: 2, rejected: 3, revoked: 4 } as const;
export const DECISION = { approve: 1, reject: 2, revoke: 3 } as const;

let keyCounter = 0;
/** A new WeBASE-held key (a chain account that sends transactions); returns its lower-case address. */
export async function newAccount(chain: Chain, label: string): Promise<string> {
  const info = await chain.client.createKey(
    `${label}-${process.pid}-${++keyCounter}-${hexlify(randomBytes(3)).slice(2)}`,
  );
  return info.address.toLowerCase();
}

/** A fresh random key (a plain Wallet, not an HD wallet). */
export const newWallet = (): Wallet => new Wallet(hexlify(randomBytes(32)));

export const now = (): bigint => BigInt(Date.now());
export const inTenMinutes = (): bigint => now() + 600_000n;
export const randomNonce = (): bigint => BigInt(hexlify(randomBytes(32)));
export const hashOf = (s: string): string => keccak256(toUtf8Bytes(s));
export const lc = (a: string): string => a.toLowerCase();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Fixture {
  chain: Chain;
  /** WeBASE account of the alliance (deployer, owner). */
  owner: string;
  /** WeBASE account operating `hospital`. */
  operator: string;
  /** Decision signer (alliance admin). */
  admin: Wallet;
  /** Hospital admin's key: the hospital's identity. */
  hospital: Wallet;
  doctor: Wallet;
  patient: Wallet;
  alliance: ContractHandle;
  emr: ContractHandle;
}

/** Deploys both contracts with a fresh set of wallets; nobody has applied yet. */
export async function deployFixture(chain: Chain): Promise<Fixture> {
  const owner = await newAccount(chain, "alliance");
  const operator = await newAccount(chain, "hospital-operator");
  const admin = newWallet();
  const hospital = newWallet();
  const doctor = newWallet();
  const patient = newWallet();
  // The owner relays the alliance's actions; records are written by the hospital's operator.
  const { AllianceRegistry: alliance, EmrRegistry: emr } = await deployContracts(chain, {
    owner,
    admins: [admin.address],
    chainId: CHAIN_ID,
    deploy: { AllianceRegistry: owner, EmrRegistry: operator },
  });
  return { chain, owner, operator, admin, hospital, doctor, patient, alliance, emr };
}

/**
 * Deploys more contracts beside `fx`'s AllianceRegistry and EmrRegistry (their constructors may name
 * those two), owned by `fx.owner`; `deploy` maps each contract to the account its handle sends from.
 */
export function deployBeside<N extends ContractName>(
  fx: Fixture,
  deploy: Partial<Record<N, string>>,
): Promise<Record<N, ContractHandle>> {
  return deployContracts(fx.chain, {
    owner: fx.owner,
    chainId: CHAIN_ID,
    existing: { AllianceRegistry: fx.alliance.address, EmrRegistry: fx.emr.address },
    deploy,
  });
}

// ---- signed actions --------------------------------------------------------------------------------

export interface SignOpts {
  /** Who signs (defaults to the applicant / the admin). */
  signer?: Wallet;
  nonce?: bigint;
  deadline?: bigint;
  profileHash?: string;
}

export interface Signed {
  nonce: bigint;
  deadline: bigint;
  sig: string;
}

/**
 * Signs the typed data `build` makes for the action's nonce and deadline: the given ones, else a fresh
 * random nonce (never used before) and a deadline ten minutes ahead. The fixtures' signed actions all
 * come through here, so those defaults live in one place.
 */
export async function signAction(
  signer: Wallet,
  o: { nonce?: bigint; deadline?: bigint },
  build: (nonceAndDeadline: { nonce: bigint; deadline: bigint }) => TypedData,
): Promise<Signed> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  return { nonce, deadline, sig: await signTypedData(signer, build({ nonce, deadline })) };
}

/**
 * Sends a signed action to a function that takes the nonce, deadline and signature last, after the
 * action's own arguments (most do; ConsentManager's name the signer before the signature and are sent
 * by hand).
 */
export function sendSigned(
  handle: ContractHandle,
  fn: string,
  args: readonly unknown[],
  s: Signed,
  user?: string,
): Promise<TransactionReceipt> {
  return handle.send(fn, [...args, s.nonce, s.deadline, s.sig], { user });
}

const allianceDomain = (fx: Fixture) => domainOf("AllianceRegistry", CHAIN_ID, fx.alliance.address);

export function signApplication(
  fx: Fixture,
  applicant: Wallet,
  role: number,
  hospital: string,
  profileHash: string,
  o: SignOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? applicant, o, (nd) =>
    applicationTypedData(allianceDomain(fx), {
      applicant: applicant.address,
      role,
      hospital,
      profileHash,
      ...nd,
    }),
  );
}

export function signDecision(
  fx: Fixture,
  member: string,
  decision: number,
  reasonHash: string,
  o: SignOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    decisionTypedData(allianceDomain(fx), { member, decision, reasonHash, ...nd }),
  );
}

export async function applyPatient(
  fx: Fixture,
  patient: Wallet = fx.patient,
  o: SignOpts & { user?: string } = {},
): Promise<TransactionReceipt> {
  const ph = o.profileHash ?? hashOf(`patient ${patient.address}`);
  const s = await signApplication(fx, patient, ROLE.patient, ZeroAddress, ph, o);
  return sendSigned(fx.alliance, "applyAsPatient", [patient.address, ph], s, o.user);
}

export async function applyHospital(
  fx: Fixture,
  hospital: Wallet = fx.hospital,
  operator: string = fx.operator,
  o: SignOpts & { user?: string } = {},
): Promise<TransactionReceipt> {
  const ph = o.profileHash ?? hashOf(`hospital ${hospital.address}`);
  const s = await signApplication(fx, hospital, ROLE.hospital, ZeroAddress, ph, o);
  return sendSigned(fx.alliance, "applyAsHospital", [hospital.address, operator, ph], s, o.user);
}

export async function registerDoctor(
  fx: Fixture,
  doctor: Wallet = fx.doctor,
  hospital: string = fx.hospital.address,
  o: SignOpts & { user?: string } = {},
): Promise<TransactionReceipt> {
  const ph = o.profileHash ?? hashOf(`doctor ${doctor.address}`);
  const s = await signApplication(fx, doctor, ROLE.doctor, hospital, ph, o);
  return sendSigned(fx.alliance, "registerDoctor", [doctor.address, hospital, ph], s, o.user ?? fx.operator);
}

export async function decide(
  fx: Fixture,
  member: string,
  decision: number,
  o: SignOpts & { user?: string; reasonHash?: string } = {},
): Promise<TransactionReceipt> {
  const reasonHash = o.reasonHash ?? hashOf(`decision ${decision} on ${member}`);
  const s = await signDecision(fx, member, decision, reasonHash, o);
  return sendSigned(fx.alliance, "decide", [member, decision, reasonHash], s, o.user);
}

/** Patient, hospital (with `fx.operator`) and doctor applied and approved. */
export async function activeFixture(chain: Chain): Promise<Fixture> {
  const fx = await deployFixture(chain);
  await applyPatient(fx);
  await decide(fx, fx.patient.address, DECISION.approve);
  await applyHospital(fx);
  await decide(fx, fx.hospital.address, DECISION.approve);
  await registerDoctor(fx);
  await decide(fx, fx.doctor.address, DECISION.approve);
  return fx;
}

/** A hospital besides `fx.hospital`: its identity, its operator account and a doctor's key. */
export interface OtherHospital {
  hospital: Wallet;
  operator: string;
  /** Registered and approved only when asked for (`withDoctor`); otherwise just a fresh key. */
  doctor: Wallet;
}

/** Another approved hospital with an operator account of its own, and optionally an approved doctor. */
export async function approvedHospital(
  fx: Fixture,
  o: { withDoctor?: boolean } = {},
): Promise<OtherHospital> {
  const hospital = newWallet();
  const operator = await newAccount(fx.chain, "hospital-operator");
  const doctor = newWallet();
  await applyHospital(fx, hospital, operator);
  await decide(fx, hospital.address, DECISION.approve);
  if (o.withDoctor) {
    await registerDoctor(fx, doctor, hospital.address, { user: operator });
    await decide(fx, doctor.address, DECISION.approve);
  }
  return { hospital, operator, doctor };
}

// ---- EMR authorization ----------------------------------------------------------------------------

export interface RecordInput {
  recordId: string;
  patient: string;
  doctor: string;
  hospital: string;
  contentHash: string;
  fieldsRoot: string;
  storagePointer: string;
  createdAt: bigint;
  patientNonce: bigint;
  doctorNonce: bigint;
  deadline: bigint;
}

export function newRecord(fx: Fixture, over: Partial<RecordInput> = {}): RecordInput {
  const createdAt = over.createdAt ?? now();
  const patient = over.patient ?? fx.patient.address;
  return {
    recordId: recordIdOf(createdAt, patient),
    patient,
    doctor: fx.doctor.address,
    hospital: fx.hospital.address,
    contentHash: hashOf(`content ${createdAt} ${hexlify(randomBytes(8))}`),
    fieldsRoot: hashOf(`fields ${createdAt} ${hexlify(randomBytes(8))}`),
    storagePointer: `ipfs://bafy${hexlify(randomBytes(16)).slice(2)}`,
    createdAt,
    patientNonce: randomNonce(),
    doctorNonce: randomNonce(),
    deadline: inTenMinutes(),
    ...over,
  };
}

/** EIP-712 EmrAuthorization signature by `signer` over `r` with `nonce` (fields overridable). */
export async function signEmr(
  fx: Fixture,
  signer: Wallet,
  r: RecordInput,
  nonce: bigint,
  over: Partial<RecordInput> = {},
): Promise<string> {
  const m = { ...r, ...over };
  const td = emrAuthorizationTypedData(domainOf("EmrRegistry", CHAIN_ID, fx.emr.address), {
    recordId: m.recordId,
    patient: m.patient,
    doctor: m.doctor,
    hospital: m.hospital,
    contentHash: m.contentHash,
    fieldsRoot: m.fieldsRoot,
    storagePointer: m.storagePointer,
    createdAt: m.createdAt,
    nonce,
    deadline: m.deadline,
  });
  return signTypedData(signer, td);
}

export function writeArgs(r: RecordInput, patientSig: string, doctorSig: string): unknown[] {
  return [
    r.recordId,
    r.patient,
    r.doctor,
    r.contentHash,
    r.fieldsRoot,
    r.storagePointer,
    r.createdAt,
    r.patientNonce,
    r.doctorNonce,
    r.deadline,
    patientSig,
    doctorSig,
  ];
}

/**
 * How a record action that patient and doctor both sign is signed and sent: by `fx.patient` and
 * `fx.doctor` with the action's own nonces, unless a signer or a ready signature is given.
 */
export interface CosignOpts {
  user?: string;
  patientSig?: string;
  doctorSig?: string;
  patientSigner?: Wallet;
  doctorSigner?: Wallet;
}

/** The patient's and the doctor's signatures; `sign` signs the action as `signer` with `nonce`. */
async function cosign(
  fx: Fixture,
  nonces: { patientNonce: bigint; doctorNonce: bigint },
  o: CosignOpts,
  sign: (signer: Wallet, nonce: bigint) => Promise<string>,
): Promise<[patientSig: string, doctorSig: string]> {
  const patientSig = o.patientSig ?? (await sign(o.patientSigner ?? fx.patient, nonces.patientNonce));
  const doctorSig = o.doctorSig ?? (await sign(o.doctorSigner ?? fx.doctor, nonces.doctorNonce));
  return [patientSig, doctorSig];
}

export async function writeRecord(
  fx: Fixture,
  r: RecordInput,
  o: CosignOpts = {},
): Promise<TransactionReceipt> {
  const [patientSig, doctorSig] = await cosign(fx, r, o, (signer, nonce) => signEmr(fx, signer, r, nonce));
  return fx.emr.send("writeRecord", writeArgs(r, patientSig, doctorSig), { user: o.user });
}

// ---- EMR versions and deletion -------------------------------------------------------------------

export interface UpdateInput {
  recordId: string;
  /** The version the signatures are for (the record's current version + 1). */
  version: bigint;
  doctor: string;
  contentHash: string;
  fieldsRoot: string;
  storagePointer: string;
  reasonHash: string;
  patientNonce: bigint;
  doctorNonce: bigint;
  deadline: bigint;
}

export function newUpdate(
  fx: Fixture,
  recordId: string,
  version: bigint,
  over: Partial<UpdateInput> = {},
): UpdateInput {
  const tag = hexlify(randomBytes(8));
  return {
    recordId,
    version,
    doctor: fx.doctor.address,
    contentHash: hashOf(`content v${version} ${tag}`),
    fieldsRoot: hashOf(`fields v${version} ${tag}`),
    storagePointer: `ipfs://bafy${hexlify(randomBytes(16)).slice(2)}`,
    reasonHash: hashOf(`correction ${tag}`),
    patientNonce: randomNonce(),
    doctorNonce: randomNonce(),
    deadline: inTenMinutes(),
    ...over,
  };
}

/** EIP-712 EmrUpdate signature by `signer` over `u` with `nonce` (fields overridable). */
export async function signUpdate(
  fx: Fixture,
  signer: Wallet,
  u: UpdateInput,
  nonce: bigint,
  over: Partial<UpdateInput> = {},
): Promise<string> {
  const m = { ...u, ...over };
  const td = emrUpdateTypedData(domainOf("EmrRegistry", CHAIN_ID, fx.emr.address), {
    recordId: m.recordId,
    version: m.version,
    doctor: m.doctor,
    contentHash: m.contentHash,
    fieldsRoot: m.fieldsRoot,
    storagePointer: m.storagePointer,
    reasonHash: m.reasonHash,
    nonce,
    deadline: m.deadline,
  });
  return signTypedData(signer, td);
}

export function updateArgs(u: UpdateInput, patientSig: string, doctorSig: string): unknown[] {
  return [
    u.recordId,
    u.doctor,
    u.contentHash,
    u.fieldsRoot,
    u.storagePointer,
    u.reasonHash,
    u.patientNonce,
    u.doctorNonce,
    u.deadline,
    patientSig,
    doctorSig,
  ];
}

export async function updateRecord(
  fx: Fixture,
  u: UpdateInput,
  o: CosignOpts = {},
): Promise<TransactionReceipt> {
  const [patientSig, doctorSig] = await cosign(fx, u, o, (signer, nonce) => signUpdate(fx, signer, u, nonce));
  return fx.emr.send("updateRecord", updateArgs(u, patientSig, doctorSig), { user: o.user });
}

export interface DeletionInput {
  recordId: string;
  reasonHash: string;
  nonce: bigint;
  deadline: bigint;
}

export function newDeletion(recordId: string, over: Partial<DeletionInput> = {}): DeletionInput {
  return {
    recordId,
    reasonHash: hashOf(`deletion ${hexlify(randomBytes(8))}`),
    nonce: randomNonce(),
    deadline: inTenMinutes(),
    ...over,
  };
}

export async function signDeletion(fx: Fixture, signer: Wallet, d: DeletionInput): Promise<string> {
  const td = emrDeletionTypedData(domainOf("EmrRegistry", CHAIN_ID, fx.emr.address), d);
  return signTypedData(signer, td);
}

export async function deleteRecord(
  fx: Fixture,
  d: DeletionInput,
  o: { user?: string; sig?: string; signer?: Wallet } = {},
): Promise<TransactionReceipt> {
  const sig = o.sig ?? (await signDeletion(fx, o.signer ?? fx.patient, d));
  return fx.emr.send("deleteRecord", [d.recordId, d.reasonHash, d.nonce, d.deadline, sig], { user: o.user });
}

/** The record's views as normalized arrays. */
export async function recordView(fx: Fixture, recordId: string): Promise<unknown[]> {
  return norm(Array.from(await fx.emr.call<unknown[]>("recordOf", [recordId]))) as unknown[];
}

export async function versionView(fx: Fixture, recordId: string, version: bigint): Promise<unknown[]> {
  return norm(Array.from(await fx.emr.call<unknown[]>("versionOf", [recordId, version]))) as unknown[];
}

// ---- patient delegation (the real PatientDelegation contract) -------------------------------------

export const DELEGATION_SCOPE = { access: 1, cosign: 2, complaint: 4 } as const;

/** Deploys PatientDelegation (owner account) and returns its handle; does not wire it to EmrRegistry. */
export async function deployDelegation(fx: Fixture): Promise<ContractHandle> {
  return (await deployBeside(fx, { PatientDelegation: fx.owner })).PatientDelegation;
}

/** The patient lets `delegate` act within `scopes` from now for ten minutes (relayed by the owner). */
export async function delegateTo(
  fx: Fixture,
  delegation: ContractHandle,
  delegate: string,
  scopes: number,
  patient: Wallet = fx.patient,
): Promise<TransactionReceipt> {
  const validFrom = now() - 60_000n;
  const validUntil = now() + 600_000n;
  const signed = await signAction(patient, {}, (nd) =>
    delegationTypedData(patientDelegationDomain(CHAIN_ID, delegation.address), {
      patient: patient.address,
      delegate,
      scopes,
      validFrom,
      validUntil,
      ...nd,
    }),
  );
  return sendSigned(
    delegation,
    "delegate",
    [patient.address, delegate, scopes, validFrom, validUntil],
    signed,
  );
}

// ---- hospital level and certification -------------------------------------------------------------

export const HOSPITAL_LEVEL = { first: 1, second: 2, third: 3 } as const;

export function signHospitalLevel(
  fx: Fixture,
  hospital: string,
  level: number,
  o: SignOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    hospitalLevelTypedData(allianceDomain(fx), { hospital, level, ...nd }),
  );
}

export async function setHospitalLevel(
  fx: Fixture,
  hospital: string,
  level: number,
  o: SignOpts & { user?: string } = {},
): Promise<TransactionReceipt> {
  const s = await signHospitalLevel(fx, hospital, level, o);
  return sendSigned(fx.alliance, "setHospitalLevel", [hospital, level], s, o.user);
}

export async function certifyDoctor(
  fx: Fixture,
  o: {
    doctor?: string;
    credentialHash?: string;
    department?: string;
    expiresAt?: bigint;
    user?: string;
  } = {},
): Promise<TransactionReceipt> {
  return fx.alliance.send(
    "certifyDoctor",
    [
      o.doctor ?? fx.doctor.address,
      o.credentialHash ?? hashOf("licence 110101"),
      o.department ?? hashOf("department:cardiology"),
      o.expiresAt ?? now() + 3_600_000n,
    ],
    { user: o.user ?? fx.operator },
  );
}

export async function certificationOf(fx: Fixture, doctor: string): Promise<unknown[]> {
  return norm(Array.from(await fx.alliance.call<unknown[]>("certificationOf", [doctor]))) as unknown[];
}

// ---- assertions -----------------------------------------------------------------------------------

/** Normalizes decoded values for comparison: numbers → bigint, hex strings → lower-case. */
export function norm(v: unknown): unknown {
  if (typeof v === "number") return BigInt(v);
  if (typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v)) return v.toLowerCase();
  if (Array.isArray(v)) return Array.from(v, norm);
  return v;
}

/** Expects `p` to reject with ContractRevertError `errorName(args...)` exactly; returns the error. */
export async function expectRevert(
  p: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<ContractRevertError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a revert with ${errorName}`).toBeInstanceOf(ContractRevertError);
  const err = caught as ContractRevertError;
  expect(err.errorName, err.message).toBe(errorName);
  expect(err.receipt.statusOK).toBe(false);
  if (args !== undefined) expect(norm(Array.from(err.errorArgs))).toEqual(norm(args));
  return err;
}

/** The receipt's events of `handle` as `[name, ...args]` (normalized). */
export function eventsOf(handle: ContractHandle, receipt: TransactionReceipt): unknown[][] {
  return handle.decodeLogs(receipt).map((e) => [e.name, ...(norm(Array.from(e.args)) as unknown[])]);
}

/** Expects exactly these events (name and decoded args) from `handle` in the receipt. */
export function expectEvents(
  handle: ContractHandle,
  receipt: TransactionReceipt,
  expected: unknown[][],
): void {
  expect(eventsOf(handle, receipt)).toEqual(expected.map((e) => norm(e)));
}

export async function memberOf(fx: Fixture, a: string): Promise<unknown[]> {
  return norm(Array.from(await fx.alliance.call<unknown[]>("memberOf", [a]))) as unknown[];
}

/** Block time (ms) of the block holding a receipt. */
export async function blockTimeOf(fx: Fixture, receipt: TransactionReceipt): Promise<bigint> {
  const b = await fx.chain.client.blockByNumber(Number(receipt.blockNumber));
  if (!b) throw new Error(`no block ${receipt.blockNumber}`);
  return BigInt(b.timestamp);
}

/** A 65-byte signature with s replaced by n - s and v flipped (same signer, high-s form). */
export function highS(sig: string): string {
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const s = Signature.from(sig);
  const highSValue = N - BigInt(s.s);
  const v = s.v === 27 ? 28 : 27;
  return "0x" + s.r.slice(2) + highSValue.toString(16).padStart(64, "0") + v.toString(16).padStart(2, "0");
}
