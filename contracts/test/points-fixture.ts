/**
 * Fixture for the ContributionPoints and ResearchAllocation tests, on top of contracts/test/fixture.ts:
 * deploys ResearchAllocation beside the alliance and signs ResearchAction typed data; deploys the real
 * PatientDelegation + ConsentManager + ContributionPoints and writes, grants, revokes and rates records.
 */
import type { Wallet } from "ethers";
import { ContractHandle, deployContract, domainOf, signTypedData, type TransactionReceipt } from "@yyl/sdk";
import { ConsentManager, ContributionPoints, PatientDelegation, ResearchAllocation } from "../src/index.ts";
import { researchAction } from "../../sdk/src/typed/research.ts";
import {
  SCOPE_KIND,
  consentManagerDomain,
  grantTypedData,
  revocationTypedData,
} from "../../sdk/src/typed/consent.ts";
import {
  CHAIN_ID,
  DECISION,
  activeFixture,
  applyHospital,
  decide,
  hashOf,
  inTenMinutes,
  newAccount,
  newRecord,
  newWallet,
  randomNonce,
  writeRecord,
  type Chain,
  type Fixture,
} from "./fixture.ts";

export interface ResearchFixture extends Fixture {
  research: ContractHandle;
  /** A second approved hospital and its operator. */
  hospital2: Wallet;
  operator2: string;
}

/** An approved hospital with a fresh operator account. */
export async function approvedHospital(fx: Fixture): Promise<{ hospital: Wallet; operator: string }> {
  const hospital = newWallet();
  const operator = await newAccount(fx.chain, "hospital-operator");
  await applyHospital(fx, hospital, operator);
  await decide(fx, hospital.address, DECISION.approve);
  return { hospital, operator };
}

/** activeFixture + a second approved hospital + ResearchAllocation (sent by default from `fx.operator`). */
export async function researchFixture(chain: Chain): Promise<ResearchFixture> {
  const fx = await activeFixture(chain);
  const h2 = await approvedHospital(fx);
  const address = await deployContract(chain.client, {
    user: fx.owner,
    artifact: ResearchAllocation,
    args: [fx.alliance.address, CHAIN_ID],
  });
  const research = new ContractHandle(
    chain.client,
    { address, abi: ResearchAllocation.abi, contractName: ResearchAllocation.contractName },
    fx.operator,
  );
  return { ...fx, research, hospital2: h2.hospital, operator2: h2.operator };
}

export interface ActionOpts {
  signer?: Wallet;
  nonce?: bigint;
  deadline?: bigint;
  user?: string;
}

interface SignedAction {
  nonce: bigint;
  deadline: bigint;
  sig: string;
}

function signing(o: ActionOpts): { nonce: bigint; deadline: bigint } {
  return { nonce: o.nonce ?? randomNonce(), deadline: o.deadline ?? inTenMinutes() };
}

const researchDomain = (fx: ResearchFixture) => domainOf("ResearchAllocation", CHAIN_ID, fx.research.address);

export const newProjectId = (label = "project"): string => hashOf(`${label} ${randomNonce()}`);

export async function signCreate(
  fx: ResearchFixture,
  projectId: string,
  total: bigint,
  descriptionHash: string,
  o: ActionOpts = {},
): Promise<SignedAction> {
  const s = signing(o);
  const td = researchAction.create(researchDomain(fx), { projectId, total, descriptionHash, ...s });
  return { ...s, sig: await signTypedData(o.signer ?? fx.admin, td) };
}

export async function createProject(
  fx: ResearchFixture,
  projectId: string,
  total: bigint,
  descriptionHash: string = hashOf(`description ${projectId}`),
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signCreate(fx, projectId, total, descriptionHash, o);
  return fx.research.send("createProject", [projectId, total, descriptionHash, s.nonce, s.deadline, s.sig], {
    user: o.user,
  });
}

export async function signAddMember(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  o: ActionOpts = {},
): Promise<SignedAction> {
  const s = signing(o);
  const td = researchAction.addMember(researchDomain(fx), { projectId, hospital, ...s });
  return { ...s, sig: await signTypedData(o.signer ?? fx.admin, td) };
}

export async function addMember(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signAddMember(fx, projectId, hospital, o);
  return fx.research.send("addMember", [projectId, hospital, s.nonce, s.deadline, s.sig], { user: o.user });
}

export async function signCommit(
  fx: ResearchFixture,
  projectId: string,
  inputsHash: string,
  o: ActionOpts = {},
): Promise<SignedAction> {
  const s = signing(o);
  const td = researchAction.commitInputs(researchDomain(fx), { projectId, inputsHash, ...s });
  return { ...s, sig: await signTypedData(o.signer ?? fx.admin, td) };
}

export async function commitInputs(
  fx: ResearchFixture,
  projectId: string,
  inputsHash: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signCommit(fx, projectId, inputsHash, o);
  return fx.research.send("commitInputs", [projectId, inputsHash, s.nonce, s.deadline, s.sig], {
    user: o.user,
  });
}

export async function signAllocate(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  amount: bigint,
  o: ActionOpts = {},
): Promise<SignedAction> {
  const s = signing(o);
  const td = researchAction.allocate(researchDomain(fx), { projectId, hospital, amount, ...s });
  return { ...s, sig: await signTypedData(o.signer ?? fx.admin, td) };
}

export async function allocate(
  fx: ResearchFixture,
  projectId: string,
  hospital: string,
  amount: bigint,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signAllocate(fx, projectId, hospital, amount, o);
  return fx.research.send("allocate", [projectId, hospital, amount, s.nonce, s.deadline, s.sig], {
    user: o.user,
  });
}

export async function signFinalize(
  fx: ResearchFixture,
  projectId: string,
  o: ActionOpts = {},
): Promise<SignedAction> {
  const s = signing(o);
  const td = researchAction.finalize(researchDomain(fx), { projectId, ...s });
  return { ...s, sig: await signTypedData(o.signer ?? fx.admin, td) };
}

export async function finalize(
  fx: ResearchFixture,
  projectId: string,
  o: ActionOpts = {},
): Promise<TransactionReceipt> {
  const s = await signFinalize(fx, projectId, o);
  return fx.research.send("finalize", [projectId, s.nonce, s.deadline, s.sig], { user: o.user });
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
  const deploy = async (
    artifact: typeof PatientDelegation | typeof ConsentManager | typeof ContributionPoints,
    args: unknown[],
  ): Promise<ContractHandle> => {
    const address = await deployContract(chain.client, { user: fx.owner, artifact, args });
    return new ContractHandle(
      chain.client,
      { address, abi: artifact.abi, contractName: artifact.contractName },
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
  const points = await deploy(ContributionPoints, [fx.alliance.address, fx.emr.address, consent.address]);
  return {
    ...fx,
    delegation,
    consent,
    points,
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
  const nonce = randomNonce();
  const deadline = inTenMinutes();
  const td = grantTypedData(consentManagerDomain(CHAIN_ID, fx.consent.address), {
    patient: fx.patient.address,
    scope,
    scopeKind,
    grantee,
    level,
    expiresAt,
    nonce,
    deadline,
  });
  const signer = o.signer ?? fx.patient;
  const sig = await signTypedData(signer, td);
  return fx.consent.send(
    "grant",
    [fx.patient.address, scope, scopeKind, grantee, level, expiresAt, nonce, deadline, signer.address, sig],
    { user: o.user },
  );
}

/** The patient revokes `grantee`'s grant on `scope`. */
export async function revokeAccess(
  fx: PointsFixture,
  scope: string,
  grantee: string,
): Promise<TransactionReceipt> {
  const nonce = randomNonce();
  const deadline = inTenMinutes();
  const td = revocationTypedData(consentManagerDomain(CHAIN_ID, fx.consent.address), {
    patient: fx.patient.address,
    scope,
    grantee,
    nonce,
    deadline,
  });
  const sig = await signTypedData(fx.patient, td);
  return fx.consent.send("revoke", [
    fx.patient.address,
    scope,
    grantee,
    nonce,
    deadline,
    fx.patient.address,
    sig,
  ]);
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
