import { artifacts } from "@yyl/contracts";
import type { ContractArtifact } from "@yyl/sdk";

// What is deployed, in order, and how the contracts are wired together. Constructor arguments may name
// contracts deployed earlier in the list.

export const CONTRACT_NAMES = [
  "AllianceRegistry",
  "EmrRegistry",
  "PatientDelegation",
  "ConsentManager",
  "EmergencyAccess",
  "CareProcess",
  "HospitalScore",
  "ContributionPoints",
  "ResearchAllocation",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface PlanContext {
  admins: string[];
  chainId: number;
  address: (name: ContractName) => string;
}

export interface PlannedContract {
  name: ContractName;
  args: (c: PlanContext) => unknown[];
}

export const DEPLOY_PLAN: PlannedContract[] = [
  { name: "AllianceRegistry", args: (c) => [c.admins, c.chainId] },
  { name: "EmrRegistry", args: (c) => [c.address("AllianceRegistry"), c.chainId] },
  { name: "PatientDelegation", args: (c) => [c.address("AllianceRegistry"), c.chainId] },
  {
    name: "ConsentManager",
    args: (c) => [c.address("AllianceRegistry"), c.address("EmrRegistry"), c.address("PatientDelegation"), c.chainId],
  },
  { name: "EmergencyAccess", args: (c) => [c.address("AllianceRegistry"), c.address("EmrRegistry"), c.chainId] },
  { name: "CareProcess", args: (c) => [c.address("AllianceRegistry"), c.chainId] },
  { name: "HospitalScore", args: (c) => [c.address("AllianceRegistry"), c.address("CareProcess"), c.chainId] },
  {
    name: "ContributionPoints",
    args: (c) => [c.address("AllianceRegistry"), c.address("EmrRegistry"), c.address("ConsentManager")],
  },
  { name: "ResearchAllocation", args: (c) => [c.address("AllianceRegistry"), c.chainId] },
];

/** Calls the owner makes once everything is deployed. */
export const WIRING: { contract: ContractName; fn: string; args: (c: PlanContext) => unknown[] }[] = [
  { contract: "EmrRegistry", fn: "setDelegation", args: (c) => [c.address("PatientDelegation")] },
];

export function artifactOf(name: ContractName): ContractArtifact {
  const a = (artifacts as Record<string, ContractArtifact | undefined>)[name];
  if (!a) throw new Error(`no artifact for ${name}: run npm run build:contracts`);
  return a;
}
