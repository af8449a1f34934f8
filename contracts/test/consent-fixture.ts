/**
 * Fixture for the PatientDelegation / ConsentManager / EmergencyAccess tests: on top of
 * `activeFixture` (approved patient, hospital with `fx.operator`, doctor) it deploys the three contracts,
 * approves a second hospital (with its own operator and doctor), and offers signing helpers built on
 * `sdk/src/typed/consent.ts`.
 */
import { Wallet, ZeroAddress, hexlify, randomBytes } from "ethers";
import {
  ContractHandle,
  deployContract,
  domainOf,
  emrAuthorizationTypedData,
  emrDeletionTypedData,
  recordIdOf,
  signTypedData,
  type TransactionReceipt,
  type TypedData,
} from "@yyl/sdk";
import { ConsentManager, EmergencyAccess, PatientDelegation } from "../src/index.ts";
import {
  CHAIN_ID,
  DECISION,
  activeFixture,
  applyHospital,
  decide,
  hashOf,
  inTenMinutes,
  newAccount,
  newWallet,
  now,
  randomNonce,
  registerDoctor,
  type Chain,
  type Fixture,
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
  const operator2 = await newAccount(chain, "hospital2-operator");
  const stranger = await newAccount(chain, "stranger");
  const hospital2 = newWallet();
  const doctor2 = newWallet();
  await applyHospital(fx, hospital2, operator2);
  await decide(fx, hospital2.address, DECISION.approve);
  await registerDoctor(fx, doctor2, hospital2.address, { user: operator2 });
  await decide(fx, doctor2.address, DECISION.approve);

  const deploy = async (
    artifact: { contractName: string; abi: readonly unknown[]; bytecode: string },
    args: unknown[],
  ) => {
    const address = await deployContract(chain.client, { user: fx.owner, artifact: artifact as never, args });
    return new ContractHandle(
      chain.client,
      { address, abi: artifact.abi as never, contractName: artifact.contractName },
      fx.operator,
    );
  };
  const delegation = await deploy(PatientDelegation, [fx.alliance.address, CHAIN_ID]);
  const consent = await deploy(ConsentManager, [
    fx.alliance.address,
    fx.emr.address,
    delegation.address,
    CHAIN_ID,
  ]);
  const emergency = await deploy(EmergencyAccess, [fx.alliance.address, fx.emr.address, CHAIN_ID]);
  return {
    ...fx,
    delegation,
    consent,
    emergency,
    hospital2,
    operator2,
    doctor2,
    stranger,
    delegate: newWallet(),
    otherPatient: newWallet(),
  };
}

// ---- records ---------------------------------------------------------------------------------------

/** Writes a record of `fx.patient` by `fx.doctor` (hospital `fx.hospital`) with a fresh id; returns the id. */
export async function writeRecordOf(
  fx: ConsentFixture,
  o: { doctor?: Wallet; operator?: string; patient?: Wallet } = {},
): Promise<string> {
  const doctor = o.doctor ?? fx.doctor;
  const patient = o.patient ?? fx.patient;
  const hospital = doctor === fx.doctor2 ? fx.hospital2.address : fx.hospital.address;
  const createdAt = now() + BigInt(Math.floor(Math.random() * 1_000_000));
  const recordId = recordIdOf(createdAt, patient.address);
  const contentHash = hashOf(`content ${hexlify(randomBytes(8))}`);
  const fieldsRoot = hashOf(`fields ${hexlify(randomBytes(8))}`);
  const storagePointer = `ipfs://bafy${hexlify(randomBytes(16)).slice(2)}`;
  const deadline = inTenMinutes();
  const pn = randomNonce();
  const dn = randomNonce();
  const domain = domainOf("EmrRegistry", CHAIN_ID, fx.emr.address);
  const td = (nonce: bigint) =>
    emrAuthorizationTypedData(domain, {
      recordId,
      patient: patient.address,
      doctor: doctor.address,
      hospital,
      contentHash,
      fieldsRoot,
      storagePointer,
      createdAt,
      nonce,
      deadline,
    });
  const patientSig = await signTypedData(patient, td(pn));
  const doctorSig = await signTypedData(doctor, td(dn));
  await fx.emr.send(
    "writeRecord",
    [
      recordId,
      patient.address,
      doctor.address,
      contentHash,
      fieldsRoot,
      storagePointer,
      createdAt,
      pn,
      dn,
      deadline,
      patientSig,
      doctorSig,
    ],
    { user: o.operator ?? (doctor === fx.doctor2 ? fx.operator2 : fx.operator) },
  );
  return recordId;
}

export async function deleteRecordOf(
  fx: ConsentFixture,
  recordId: string,
  patient: Wallet = fx.patient,
): Promise<void> {
  const nonce = randomNonce();
  const deadline = inTenMinutes();
  const reasonHash = hashOf("delete");
  const sig = await signTypedData(
    patient,
    emrDeletionTypedData(domainOf("EmrRegistry", CHAIN_ID, fx.emr.address), {
      recordId,
      reasonHash,
      nonce,
      deadline,
    }),
  );
  await fx.emr.send("deleteRecord", [recordId, reasonHash, nonce, deadline, sig]);
}

export async function certify(
  fx: ConsentFixture,
  doctor: Wallet = fx.doctor,
  expiresAt: bigint = now() + DAY_MS,
): Promise<TransactionReceipt> {
  return fx.alliance.send(
    "certifyDoctor",
    [doctor.address, hashOf("credential"), hashOf("emergency"), expiresAt],
    {
      user: doctor === fx.doctor2 ? fx.operator2 : fx.operator,
    },
  );
}

// ---- signing ---------------------------------------------------------------------------------------

export interface S {
  nonce: bigint;
  deadline: bigint;
  sig: string;
}

async function signWith(signer: Wallet, td: TypedData, nonce: bigint, deadline: bigint): Promise<S> {
  return { nonce, deadline, sig: await signTypedData(signer, td) };
}

export interface Opts {
  nonce?: bigint;
  deadline?: bigint;
}

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

export async function signDelegation(
  fx: ConsentFixture,
  signer: Wallet,
  d: DelegationInput,
  o: Opts = {},
): Promise<S> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  return signWith(
    signer,
    delegationTypedData(delegationDomain(fx), { ...d, nonce, deadline }),
    nonce,
    deadline,
  );
}

/** Sends `delegate` for `d` (signed by `signer`, default the patient `fx.patient`). */
export async function delegateTx(
  fx: ConsentFixture,
  over: Partial<DelegationInput> = {},
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; d: DelegationInput; s: S }> {
  const d: DelegationInput = {
    patient: fx.patient.address,
    delegate: fx.delegate.address,
    scopes: 7,
    validFrom: now() - 1000n,
    validUntil: now() + DAY_MS,
    ...over,
  };
  const s = o.sig ?? (await signDelegation(fx, o.signer ?? fx.patient, d, o));
  const receipt = await fx.delegation.send(
    "delegate",
    [d.patient, d.delegate, d.scopes, d.validFrom, d.validUntil, s.nonce, s.deadline, s.sig],
    { user: o.user },
  );
  return { receipt, d, s };
}

export async function revokeDelegationTx(
  fx: ConsentFixture,
  patient: string,
  delegate: string,
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S }> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      o.signer ?? fx.patient,
      delegationRevocationTypedData(delegationDomain(fx), { patient, delegate, nonce, deadline }),
      nonce,
      deadline,
    ));
  const receipt = await fx.delegation.send(
    "revokeDelegation",
    [patient, delegate, s.nonce, s.deadline, s.sig],
    {
      user: o.user,
    },
  );
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
  o: Opts & { signer?: Wallet; signerAddress?: string; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; g: GrantInput; s: S; signer: string }> {
  const full: GrantInput = {
    patient: fx.patient.address,
    scopeKind: KIND.record,
    grantee: fx.hospital2.address,
    level: LEVEL.view,
    expiresAt: now() + DAY_MS,
    ...g,
  };
  const signer = o.signer ?? fx.patient;
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      signer,
      grantTypedData(consentDomain(fx), { ...full, nonce, deadline }),
      nonce,
      deadline,
    ));
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
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S }> {
  const patient = r.patient ?? fx.patient.address;
  const grantee = r.grantee ?? fx.hospital2.address;
  const signer = o.signer ?? fx.patient;
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      signer,
      revocationTypedData(consentDomain(fx), { patient, scope: r.scope, grantee, nonce, deadline }),
      nonce,
      deadline,
    ));
  const receipt = await fx.consent.send(
    "revoke",
    [patient, r.scope, grantee, s.nonce, s.deadline, signer.address, s.sig],
    {
      user: o.user,
    },
  );
  return { receipt, s };
}

export async function liftTx(
  fx: ConsentFixture,
  requester: string,
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S }> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      o.signer ?? fx.admin,
      blacklistLiftTypedData(consentDomain(fx), { requester, nonce, deadline }),
      nonce,
      deadline,
    ));
  const receipt = await fx.consent.send("liftBlacklist", [requester, s.nonce, s.deadline, s.sig], {
    user: o.user,
  });
  return { receipt, s };
}

export async function complaintTx(
  fx: ConsentFixture,
  c: { patient?: string; subject?: string; evidenceHash?: string } = {},
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S; patient: string; subject: string; evidenceHash: string }> {
  const patient = c.patient ?? fx.patient.address;
  const subject = c.subject ?? hashOf("subject");
  const evidenceHash = c.evidenceHash ?? hashOf("evidence");
  const signer = o.signer ?? fx.patient;
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      signer,
      complaintTypedData(consentDomain(fx), { patient, subject, evidenceHash, nonce, deadline }),
      nonce,
      deadline,
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
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S; reasonCode: number; justificationHash: string }> {
  const doctor = over.doctor ?? fx.doctor;
  const reasonCode = over.reasonCode ?? 1;
  const justificationHash = over.justificationHash ?? hashOf("unconscious on arrival");
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      o.signer ?? doctor,
      emergencyAccessTypedData(emergencyDomain(fx), {
        recordId,
        reasonCode,
        justificationHash,
        nonce,
        deadline,
      }),
      nonce,
      deadline,
    ));
  const receipt = await fx.emergency.send(
    "breakGlass",
    [
      recordId,
      over.doctorAddress ?? doctor.address,
      reasonCode,
      justificationHash,
      s.nonce,
      s.deadline,
      s.sig,
    ],
    { user: o.user ?? (doctor === fx.doctor2 ? fx.operator2 : fx.operator) },
  );
  return { receipt, s, reasonCode, justificationHash };
}

export async function reviewTx(
  fx: ConsentFixture,
  accessId: bigint,
  outcome: number,
  o: Opts & { signer?: Wallet; user?: string; sig?: S } = {},
): Promise<{ receipt: TransactionReceipt; s: S }> {
  const nonce = o.nonce ?? randomNonce();
  const deadline = o.deadline ?? inTenMinutes();
  const s =
    o.sig ??
    (await signWith(
      o.signer ?? fx.admin,
      emergencyReviewTypedData(emergencyDomain(fx), { accessId, outcome, nonce, deadline }),
      nonce,
      deadline,
    ));
  const receipt = await fx.emergency.send(
    "reviewEmergency",
    [accessId, outcome, s.nonce, s.deadline, s.sig],
    {
      user: o.user,
    },
  );
  return { receipt, s };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export { ZeroAddress };

/** Mines a block (a harmless transaction), so that views see the current time: calls run at the latest block's time. */
export async function tick(fx: ConsentFixture): Promise<void> {
  await fx.alliance.send("addAdmin", [newWallet().address], { user: fx.owner });
}

/** The block time (ms) of a receipt's block. */
export async function blockTime(fx: ConsentFixture, receipt: TransactionReceipt): Promise<bigint> {
  const b = await fx.chain.client.blockByNumber(receipt.blockNumber);
  if (!b) throw new Error(`no block ${receipt.blockNumber}`);
  return BigInt(b.timestamp);
}
