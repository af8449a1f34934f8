import { describe, expect, it } from "vitest";
import { AbiCoder, Wallet, id, keccak256, toUtf8Bytes, TypedDataEncoder } from "ethers";
import {
  ACCESS_REASON,
  CONSENT_EIP712_TYPES,
  DELEGATION_SCOPE,
  blacklistLiftTypedData,
  categoryOf,
  complaintTypedData,
  consentManagerDomain,
  delegationRevocationTypedData,
  delegationTypedData,
  emergencyAccessDomain,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
  grantIdOf,
  grantTypedData,
  patientDelegationDomain,
  revocationTypedData,
} from "../src/typed/consent.ts";
import { typedDataToJson, verifyTypedSignature, type TypedData } from "../src/eip712.ts";
import { signTypedData } from "../src/keys.ts";
import { typedDataFromJson } from "../src/typed/registry.ts";

const wallet = new Wallet("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
const CONTRACT = "0x1234567890123456789012345678901234567890";
const OTHER = "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd";
const H1 = `0x${"11".repeat(32)}`;
const H2 = `0x${"22".repeat(32)}`;

const pd = patientDelegationDomain(20200, CONTRACT);
const cm = consentManagerDomain(20200n, CONTRACT);
const ea = emergencyAccessDomain("20200", CONTRACT);

const samples: [string, string, TypedData][] = [
  [
    "Delegation",
    "Delegation(address patient,address delegate,uint8 scopes,uint256 validFrom,uint256 validUntil,uint256 nonce,uint256 deadline)",
    delegationTypedData(pd, {
      patient: wallet.address,
      delegate: OTHER,
      scopes: 7,
      validFrom: 1n,
      validUntil: "1700000000000",
      nonce: 42,
      deadline: 1_800_000_000_000n,
    }),
  ],
  [
    "DelegationRevocation",
    "DelegationRevocation(address patient,address delegate,uint256 nonce,uint256 deadline)",
    delegationRevocationTypedData(pd, { patient: wallet.address, delegate: OTHER, nonce: 1n, deadline: 2n }),
  ],
  [
    "Grant",
    "Grant(address patient,bytes32 scope,uint8 scopeKind,address grantee,uint8 level,uint256 expiresAt,uint256 nonce,uint256 deadline)",
    grantTypedData(cm, {
      patient: wallet.address,
      scope: H1,
      scopeKind: 1,
      grantee: OTHER,
      level: 2,
      expiresAt: 5n,
      nonce: 6n,
      deadline: 7n,
    }),
  ],
  [
    "Revocation",
    "Revocation(address patient,bytes32 scope,address grantee,uint256 nonce,uint256 deadline)",
    revocationTypedData(cm, { patient: wallet.address, scope: H1, grantee: OTHER, nonce: 1n, deadline: 2n }),
  ],
  [
    "BlacklistLift",
    "BlacklistLift(address requester,uint256 nonce,uint256 deadline)",
    blacklistLiftTypedData(cm, { requester: OTHER, nonce: 3n, deadline: 4n }),
  ],
  [
    "Complaint",
    "Complaint(address patient,bytes32 subject,bytes32 evidenceHash,uint256 nonce,uint256 deadline)",
    complaintTypedData(cm, {
      patient: wallet.address,
      subject: H1,
      evidenceHash: H2,
      nonce: 1n,
      deadline: 2n,
    }),
  ],
  [
    "EmergencyAccess",
    "EmergencyAccess(bytes32 recordId,uint8 reasonCode,bytes32 justificationHash,uint256 nonce,uint256 deadline)",
    emergencyAccessTypedData(ea, {
      recordId: H1,
      reasonCode: 3,
      justificationHash: H2,
      nonce: 1n,
      deadline: 2n,
    }),
  ],
  [
    "EmergencyReview",
    "EmergencyReview(uint256 accessId,uint8 outcome,uint256 nonce,uint256 deadline)",
    emergencyReviewTypedData(ea, { accessId: 9, outcome: 2, nonce: 1n, deadline: 2n }),
  ],
];

describe("typed/consent", () => {
  it("defines exactly the eight primary types", () => {
    expect(Object.keys(CONSENT_EIP712_TYPES).sort()).toEqual(samples.map(([n]) => n).sort());
  });

  it.each(samples)("%s: type string matches docs/contracts.md", (name, typeString, td) => {
    expect(td.primaryType).toBe(name);
    expect(TypedDataEncoder.from(td.types).encodeType(name)).toBe(typeString);
    expect(Object.keys(td.types)).toEqual([name]);
  });

  it.each(samples)("%s: signs and recovers, also through JSON", async (_name, _t, td) => {
    const sig = await signTypedData(wallet, td);
    expect(verifyTypedSignature(td, sig)).toBe(wallet.address);
    const json = JSON.parse(JSON.stringify(typedDataToJson(td))) as unknown;
    expect(verifyTypedSignature(json as TypedData, sig)).toBe(wallet.address);
    const back = typedDataFromJson(json);
    expect(back).toEqual(td);
    expect(await signTypedData(wallet, back)).toBe(sig);
  });

  it("digest equals keccak256(0x1901 ‖ domainSeparator ‖ structHash) with the Solidity encoding", () => {
    const td = samples[2]![2];
    const m = td.message;
    const typeHash = id(samples[2]![1]);
    const structHash = keccak256(
      AbiCoder.defaultAbiCoder().encode(
        ["bytes32", "address", "bytes32", "uint8", "address", "uint8", "uint256", "uint256", "uint256"],
        [typeHash, m.patient, m.scope, m.scopeKind, m.grantee, m.level, m.expiresAt, m.nonce, m.deadline],
      ),
    );
    const domainSep = keccak256(
      AbiCoder.defaultAbiCoder().encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [
          id("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
          id("ConsentManager"),
          id("1"),
          20200n,
          CONTRACT,
        ],
      ),
    );
    expect(TypedDataEncoder.hash(td.domain, td.types, td.message)).toBe(
      keccak256("0x1901" + domainSep.slice(2) + structHash.slice(2)),
    );
  });

  it("mutating returned types does not affect later builds", () => {
    const a = blacklistLiftTypedData(cm, { requester: OTHER, nonce: 1n, deadline: 2n });
    a.types.BlacklistLift!.push({ name: "x", type: "uint8" });
    const b = blacklistLiftTypedData(cm, { requester: OTHER, nonce: 1n, deadline: 2n });
    expect(b.types.BlacklistLift).toHaveLength(3);
  });

  it("normalizes addresses and hashes; zero justification by default", () => {
    const td = emergencyAccessTypedData(ea, {
      recordId: H1.toUpperCase().replace("0X", "0x"),
      reasonCode: 1,
      nonce: 0,
      deadline: 0,
    });
    expect(td.message.justificationHash).toBe(`0x${"00".repeat(32)}`);
    expect(td.message.recordId).toBe(H1);
    const g = grantTypedData(cm, {
      patient: wallet.address.toLowerCase(),
      scope: H1,
      scopeKind: 2,
      grantee: OTHER,
      level: 1,
      expiresAt: 1,
      nonce: 1,
      deadline: 1,
    });
    expect(g.message.patient).toBe(wallet.address);
    expect(g.message.grantee).toBe("0xABcdEFABcdEFabcdEfAbCdefabcdeFABcDEFabCD");
  });

  it("rejects bad inputs and a domain of the wrong contract", () => {
    expect(() =>
      grantTypedData(pd, {
        patient: OTHER,
        scope: H1,
        scopeKind: 1,
        grantee: OTHER,
        level: 1,
        expiresAt: 1,
        nonce: 1,
        deadline: 1,
      }),
    ).toThrow(/verified by ConsentManager/);
    expect(() =>
      delegationTypedData(pd, {
        patient: OTHER,
        delegate: OTHER,
        scopes: 256,
        validFrom: 0,
        validUntil: 1,
        nonce: 1,
        deadline: 1,
      }),
    ).toThrow(/uint8/);
    expect(() =>
      complaintTypedData(cm, { patient: OTHER, subject: "0x12", evidenceHash: H2, nonce: 1, deadline: 1 }),
    ).toThrow(/32 bytes/);
    expect(() => emergencyReviewTypedData(ea, { accessId: -1n, outcome: 1, nonce: 1, deadline: 1 })).toThrow(
      /uint256/,
    );
    const json = typedDataToJson(samples[0]![2]) as unknown as Record<string, unknown>;
    expect(() => typedDataFromJson({ ...json, primaryType: "Nope" })).toThrow(/unknown primaryType/);
    expect(() => typedDataFromJson({ ...json, types: { Delegation: [] } })).toThrow(/types do not match/);
    expect(() =>
      typedDataFromJson({ ...json, domain: { ...(json.domain as object), name: "ConsentManager" } }),
    ).toThrow(/verified by PatientDelegation/);
    expect(() => typedDataFromJson(null)).toThrow(/not a typed-data object/);
  });

  it("category scope, grant id and constants", () => {
    expect(categoryOf("cardiology")).toBe(keccak256(toUtf8Bytes("category:cardiology")));
    expect(grantIdOf(wallet.address, H1, OTHER)).toBe(
      keccak256(
        AbiCoder.defaultAbiCoder().encode(["address", "bytes32", "address"], [wallet.address, H1, OTHER]),
      ),
    );
    expect(DELEGATION_SCOPE).toEqual({ grant: 1, cosign: 2, complaint: 4 });
    expect(ACCESS_REASON).toEqual({
      recordGrant: 1,
      categoryGrant: 2,
      noGrant: 10,
      expired: 11,
      blacklisted: 12,
      deleted: 13,
    });
  });
});
