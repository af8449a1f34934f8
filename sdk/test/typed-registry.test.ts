import { describe, expect, it } from "vitest";
import { TypedDataEncoder, Wallet } from "ethers";
import {
  CARE_CONTRACT_OF,
  CARE_EIP712_TYPES,
  CONSENT_CONTRACT_OF,
  CONSENT_EIP712_TYPES,
  CORE_EIP712_TYPES,
  EIP712_TYPES,
  RESEARCH_ACTION_TYPES,
  VERIFYING_CONTRACT_OF,
  applicationTypedData,
  careStepTypedData,
  domainOf,
  emrDeletionTypedData,
  grantTypedData,
  isPrimaryType,
  researchAction,
  scoreAdjustmentTypedData,
  signTypedData,
  typedDataFromJson,
  typedDataToJson,
  verifyTypedSignature,
  type TypedData,
} from "../src/index.ts";

const wallet = new Wallet("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const CONTRACT = "0x1234567890123456789012345678901234567890";
const H1 = `0x${"11".repeat(32)}`;
const d = (name: string) => domainOf(name, 20200, CONTRACT);

// One of each module's kinds: the shared functions must treat them all alike.
const samples: TypedData[] = [
  applicationTypedData(d("AllianceRegistry"), {
    applicant: wallet.address,
    role: 1,
    profileHash: H1,
    nonce: 1,
    deadline: 2,
  }),
  emrDeletionTypedData(d("EmrRegistry"), { recordId: H1, reasonHash: H1, nonce: 1, deadline: 2 }),
  grantTypedData(d("ConsentManager"), {
    patient: wallet.address,
    scope: H1,
    scopeKind: 1,
    grantee: CONTRACT,
    level: 1,
    expiresAt: 0,
    nonce: 1,
    deadline: 2,
  }),
  careStepTypedData(d("CareProcess"), { visitId: H1, step: 1, contentHash: H1, nonce: 1, deadline: 2 }),
  scoreAdjustmentTypedData(d("HospitalScore"), {
    hospital: CONTRACT,
    reasonCode: 1,
    delta: -5,
    evidenceHash: H1,
    nonce: 1,
    deadline: 2,
  }),
  researchAction.allocate(d("ResearchAllocation"), {
    projectId: H1,
    hospital: CONTRACT,
    amount: 3n,
    nonce: 1,
    deadline: 2,
  }),
];

describe("typed-data registry", () => {
  it("registers every module's primary types once", () => {
    const groups = [CORE_EIP712_TYPES, CONSENT_EIP712_TYPES, CARE_EIP712_TYPES, RESEARCH_ACTION_TYPES];
    const names = groups.flatMap((g) => Object.keys(g));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(EIP712_TYPES).sort()).toEqual([...names].sort());
    for (const g of groups)
      for (const [n, fields] of Object.entries(g)) expect(EIP712_TYPES[n as never]).toBe(fields);
    expect(Object.isFrozen(EIP712_TYPES)).toBe(true);
  });

  it("knows the verifying contract where a module fixes it, and only there", () => {
    expect(VERIFYING_CONTRACT_OF).toEqual({
      ...CONSENT_CONTRACT_OF,
      ...CARE_CONTRACT_OF,
      ResearchAction: "ResearchAllocation",
    });
    expect(Object.keys(CORE_EIP712_TYPES).some((n) => n in VERIFYING_CONTRACT_OF)).toBe(false);
  });

  it.each(samples.map((td) => [td.primaryType, td] as const))(
    "%s: one sign / verify / JSON round trip",
    async (name, td) => {
      expect(isPrimaryType(name)).toBe(true);
      expect(td.types).toEqual({ [name]: EIP712_TYPES[name] });
      const sig = await signTypedData(wallet, td);
      expect(sig).toBe(await wallet.signTypedData(td.domain, td.types, td.message));
      expect(verifyTypedSignature(td, sig)).toBe(wallet.address);
      const json = JSON.parse(JSON.stringify(typedDataToJson(td))) as unknown;
      expect(verifyTypedSignature(json as TypedData, sig)).toBe(wallet.address);
      expect(await signTypedData(wallet, json as TypedData)).toBe(sig);
      const back = typedDataFromJson(JSON.stringify(json));
      expect(back).toEqual(td);
      expect(TypedDataEncoder.hash(back.domain, back.types, back.message)).toBe(
        TypedDataEncoder.hash(td.domain, td.types, td.message),
      );
    },
  );

  it("refuses names that are not registered primary types, own properties included", () => {
    const json = typedDataToJson(samples[0]!);
    for (const primaryType of ["Nope", "toString", "constructor", "__proto__", "EIP712Domain"]) {
      expect(isPrimaryType(primaryType)).toBe(false);
      expect(() => typedDataFromJson({ ...json, primaryType })).toThrow(/unknown primaryType/);
    }
  });

  it("refuses research actions outside ResearchAllocation's domain", () => {
    const json = typedDataToJson(samples[5]!);
    expect(() => typedDataFromJson({ ...json, domain: { ...json.domain, name: "CareProcess" } })).toThrow(
      /ResearchAction is verified by ResearchAllocation, not CareProcess/,
    );
  });
});
