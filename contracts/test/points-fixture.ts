/**
 * Fixture for the ContributionPoints and ResearchAllocation tests, on top of contracts/test/fixture.ts:
 * deploys ResearchAllocation beside the alliance and signs ResearchAction typed data; deploys the real
 * PatientDelegation + ConsentManager + ContributionPoints and writes, grants, revokes and rates records.
 */
import type { Wallet } from "ethers";
import { domainOf, type ContractHandle, type TransactionReceipt } from "@yyl/sdk";
import { researchAction } from "../../sdk/src/typed/research.ts";
import {
  SCOPE_KIND,
  consentManagerDomain,
  grantTypedData,
  revocationTypedData,
} from "../../sdk/src/typed/consent.ts";
import {
  CHAIN_ID,
  activeFixture,
  approvedHospital,
  deployBeside,
  hashOf,
  newRecord,
  randomNonce,
  sendSigned,
  signAction,
  writeRecord,
  type Chain,
  type Fixture,
  type Signed,
} from "./fixture.ts";

export interface ResearchFixture extends Fixture {
  research: ContractHandle;
  /** A second approved hospital and its operator. */
  hospital2: Wallet;
  operator2: string;
}

/** activeFixture + a second approved hospital + ResearchAllocation (sent by default from `fx.operator`). */
export async function researchFixture(chain: Chain): Promise<ResearchFixture> {
  const fx = await activeFixture(chain);
  const h2 = await approvedHospital(fx);
  const { ResearchAllocation: research } = await deployBeside(fx, { ResearchAllocation: fx.operator });
  return { ...fx, research, hospital2: h2.hospital, operator2: h2.operator };
}

export interface ActionOpts {
  signer?: Wallet;
  nonce?: bigint;
  deadline?: bigint;
  user?: string;
}

const researchDomain = (fx: ResearchFixture) => domainOf("ResearchAllocation", CHAIN_ID, fx.research.address);

export const newProjectId = (label = "project"): string => hashOf(`${label} ${randomNonce()}`);

export function signCreate(
  fx: ResearchFixture,
  projectId: string,
  total: bigint,
  descriptionHash: string,
  o: ActionOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    researchAction.create(researchDomain(fx), { projectId, total, descriptionHash, ...nd }),
  );
}

export async function createProject(
  fx: ResearchFixture,
  projectId: string,
  total: bigint,
  descriptionHash: string = hashOf(`description ${projectId}`),
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signCreate(fx, projectId, total, descriptionHash, o);
  return sendSigned(fx.research, "createProject", [projectId, total, descriptionHash], s, o.user);
}

export function signAddMember(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  o: ActionOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    researchAction.addMember(researchDomain(fx), { projectId, hospital, ...nd }),
  );
}

export async function addMember(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signAddMember(fx, projectId, hospital, o);
  return sendSigned(fx.research, "addMember", [projectId, hospital], s, o.user);
}

export function signCommit(
  fx: ResearchFixture,
  projectId: string,
  inputsHash: string,
  o: ActionOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    researchAction.commitInputs(researchDomain(fx), { projectId, inputsHash, ...nd }),
  );
}

export async function commitInputs(
  fx: ResearchFixture,
  projectId: string,
  inputsHash: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signCommit(fx, projectId, inputsHash, o);
  return sendSigned(fx.research, "commitInputs", [projectId, inputsHash], s, o.user);
}

export function signAllocate(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  amount: bigint,
  o: ActionOpts = {},
): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    researchAction.allocate(researchDomain(fx), { projectId, hospital, amount, ...nd }),
  );
}

export async function allocate(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  amount: bigint,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signAllocate(fx, projectId, hospital, amount, o);
  return sendSigned(fx.research, "allocate", [projectId, hospital, amount], s, o.user);
}

export function signFinalize(fx: ResearchFixture, projectId: string, o: ActionOpts = {}): Promise<Signed> {
  return signAction(o.signer ?? fx.admin, o, (nd) =>
    researchAction.finalize(researchDomain(fx), { projectId, ...nd }),
  );
}

export async function finalize(
  fx: ResearchFixture,
  projectId: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signFinalize(fx, projectId, o);
  return sendSigned(fx.research, "finalize", [projectId], s, o.user);
}

// ---- ContributionPoints ----------------------------------------------------------------------------

export interface PointsFixture extends Fixture {
  delegation: ContractHandle;
  consent: ContractHandle;
  points: ContractHandle;
  /** A second and a third approved hospital with their operators. */
  hospital2: Wallet;
  operator2: string;
  hospital3: Wallet;
  operator3: string;
}

/**
 * activeFixture + two more approved hospitals + PatientDelegation(alliance, chainId) +
 * ConsentManager(alliance, emr, delegation, chainId) + ContributionPoints(alliance, emr, consent).
 * `points` sends from `fx.operator` by default, `consent` too.
 */
export async function pointsFixture(chain: Chain): Promise<PointsFixture> {
  const fx = await activeFixture(chain);
  const h2 = await approvedHospital(fx);
  const h3 = await approvedHospital(fx);
  const contracts = await deployBeside(fx, {
    PatientDelegation: fx.operator,
    ConsentManager: fx.operator,
    ContributionPoints: fx.operator,
  });
  return {
    ...fx,
    delegation: contracts.PatientDelegation,
    consent: contracts.ConsentManager,
    points: contracts.ContributionPoints,
    hospital2: h2.hospital,
    operator2: h2.operator,
    hospital3: h3.hospital,
    operator3: h3.operator,
  };
}

/** Writes a new record of `fx.patient` (by `fx.doctor` at `fx.hospital`); returns its id. */
export async function newSharedRecord(fx: Fixture): Promise<string> {
  const r = newRecord(fx);
  await writeRecord(fx, r);
  return r.recordId;
}

export interface GrantOpts {
  /** Scope kind (defaults to 1, record). */
  scopeKind?: number;
  /** Grant end in ms (defaults to in one hour). */
  expiresAt?: bigint;
  signer?: Wallet;
  user?: string;
}

/** The patient grants `grantee` `level` on `scope` (a record id, or a category with scopeKind 2). */
export async function grantAccess(
  fx: PointsFixture,
  scope: string,
  grantee: string,
  level: number,
  o: GrantOpts = {},
): Promise<TransactionReceipt> {
  const scopeKind = o.scopeKind ?? SCOPE_KIND.record;
  const expiresAt = o.expiresAt ?? BigInt(Date.now()) + 3_600_000n;
  const signer = o.signer ?? fx.patient;
  const patient = fx.patient.address;
  const { nonce, deadline, sig } = await signAction(signer, {}, (nd) =>
    grantTypedData(consentManagerDomain(CHAIN_ID, fx.consent.address), {
      patient,
      scope,
      scopeKind,
      grantee,
      level,
      expiresAt,
      ...nd,
    }),
  );
  return fx.consent.send(
    "grant",
    [patient, scope, scopeKind, grantee, level, expiresAt, nonce, deadline, signer.address, sig],
    { user: o.user },
  );
}

/** The patient revokes `grantee`'s grant on `scope`. */
export async function revokeAccess(
  fx: PointsFixture,
  scope: string,
  grantee: string,
): Promise<TransactionReceipt> {
  const patient = fx.patient.address;
  const { nonce, deadline, sig } = await signAction(fx.patient, {}, (nd) =>
    revocationTypedData(consentManagerDomain(CHAIN_ID, fx.consent.address), {
      patient,
      scope,
      grantee,
      ...nd,
    }),
  );
  return fx.consent.send("revoke", [patient, scope, grantee, nonce, deadline, patient, sig]);
}

/** `rate(recordId, valueLevel, rarityLevel)` sent by `user` (defaults to `fx.operator`). */
export function rate(
  fx: PointsFixture,
  recordId: string,
  valueLevel: number,
  rarityLevel: number,
  user?: string,
): Promise<TransactionReceipt> {
  return fx.points.send("rate", [recordId, valueLevel, rarityLevel], { user });
}

/** `settle(recordId)` sent by `user` (defaults to `fx.operator`). */
export function settle(fx: PointsFixture, recordId: string, user?: string): Promise<TransactionReceipt> {
  return fx.points.send("settle", [recordId], { user });
}
