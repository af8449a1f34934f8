import { describe, expect, it } from "vitest";
import { AbiCoder, Wallet, concat, id, keccak256, toUtf8Bytes, TypedDataEncoder } from "ethers";
import {
  DECISION,
  ROLE,
  STATUS,
  applicationTypedData,
  decisionTypedData,
  domainOf,
  emrAuthorizationTypedData,
  emrDeletionTypedData,
  emrUpdateTypedData,
  hospitalLevelTypedData,
  randomNonce,
  signTypedData,
  typedDataFromJson,
  typedDataToJson,
  verifyTypedSignature,
} from "../src/index.ts";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const wallet = new Wallet(KEY);
const CONTRACT = "0x1234567890123456789012345678901234567890";
const H1 = `0x${"11".repeat(32)}`;
const H2 = `0x${"22".repeat(32)}`;

describe("eip712", () => {
  it("constants match interfaces.md", () => {
    expect(ROLE).toEqual({ patient: 1, doctor: 2, hospital: 3 });
    expect(STATUS).toEqual({ none: 0, pending: 1, approved: 2, rejected: 3, revoked: 4 });
    expect(DECISION).toEqual({ approve: 1, reject: 2, revoke: 3 });
  });

  it("builds the domain with version 1 and a checksummed verifying contract", () => {
    const d = domainOf("AllianceRegistry", 20200, CONTRACT.toLowerCase());
    expect(d).toEqual({
      name: "AllianceRegistry",
      version: "1",
      chainId: 20200n,
      verifyingContract: "0x1234567890123456789012345678901234567890",
    });
  });

  it("encodes the type strings exactly as interfaces.md", () => {
    const d = domainOf("X", 1, CONTRACT);
    const a = applicationTypedData(d, {
      applicant: wallet.address,
      role: 1,
      profileHash: H1,
      nonce: 1,
      deadline: 2,
    });
    const dec = decisionTypedData(d, {
      member: wallet.address,
      decision: 1,
      reasonHash: H1,
      nonce: 1,
      deadline: 2,
    });
    const e = emrAuthorizationTypedData(d, {
      recordId: H1,
      patient: wallet.address,
      doctor: wallet.address,
      hospital: wallet.address,
      contentHash: H2,
      fieldsRoot: H1,
      storagePointer: "s",
      createdAt: 1,
      nonce: 1,
      deadline: 2,
    });
    const u = emrUpdateTypedData(d, {
      recordId: H1,
      version: 2,
      doctor: wallet.address,
      contentHash: H2,
      fieldsRoot: H1,
      storagePointer: "s",
      reasonHash: H2,
      nonce: 1,
      deadline: 2,
    });
    const del = emrDeletionTypedData(d, { recordId: H1, reasonHash: H2, nonce: 1, deadline: 2 });
    const lvl = hospitalLevelTypedData(d, { hospital: CONTRACT, level: 3, nonce: 1, deadline: 2 });
    expect(TypedDataEncoder.from(a.types).encodeType("Application")).toBe(
      "Application(address applicant,uint8 role,address hospital,bytes32 profileHash,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(dec.types).encodeType("Decision")).toBe(
      "Decision(address member,uint8 decision,bytes32 reasonHash,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(e.types).encodeType("EmrAuthorization")).toBe(
      "EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(u.types).encodeType("EmrUpdate")).toBe(
      "EmrUpdate(bytes32 recordId,uint256 version,address doctor,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,bytes32 reasonHash,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(del.types).encodeType("EmrDeletion")).toBe(
      "EmrDeletion(bytes32 recordId,bytes32 reasonHash,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(lvl.types).encodeType("HospitalLevel")).toBe(
      "HospitalLevel(address hospital,uint8 level,uint256 nonce,uint256 deadline)",
    );
    expect(() =>
      hospitalLevelTypedData(d, { hospital: CONTRACT, level: 256, nonce: 1, deadline: 2 }),
    ).toThrow(/uint8/);
    expect(a.message.hospital).toBe("0x0000000000000000000000000000000000000000");
  });

  it("matches a digest computed by hand (keccak256(0x1901 ‖ domainSeparator ‖ structHash))", () => {
    const d = domainOf("AllianceRegistry", 20200, CONTRACT);
    const td = decisionTypedData(d, {
      member: wallet.address,
      decision: DECISION.reject,
      reasonHash: H1,
      nonce: 7n,
      deadline: 1_700_000_000_000n,
    });
    const abi = AbiCoder.defaultAbiCoder();
    const domainTypeHash = id(
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    const domainSeparator = keccak256(
      abi.encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [domainTypeHash, id("AllianceRegistry"), id("1"), 20200n, CONTRACT],
      ),
    );
    const typeHash = id(
      "Decision(address member,uint8 decision,bytes32 reasonHash,uint256 nonce,uint256 deadline)",
    );
    const structHash = keccak256(
      abi.encode(
        ["bytes32", "address", "uint8", "bytes32", "uint256", "uint256"],
        [typeHash, wallet.address, 2, H1, 7n, 1_700_000_000_000n],
      ),
    );
    const digest = keccak256(concat(["0x1901", domainSeparator, structHash]));
    expect(TypedDataEncoder.hash(td.domain, td.types, td.message)).toBe(digest);
  });

  it("verifies the EIP-712 spec's Mail example vector", () => {
    const cow = new Wallet(keccak256(toUtf8Bytes("cow")));
    expect(cow.address).toBe("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    const td = {
      domain: {
        name: "Ether Mail",
        version: "1",
        chainId: 1,
        verifyingContract: "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC",
      },
      types: {
        Person: [
          { name: "name", type: "string" },
          { name: "wallet", type: "address" },
        ],
        Mail: [
          { name: "from", type: "Person" },
          { name: "to", type: "Person" },
          { name: "contents", type: "string" },
        ],
      },
      primaryType: "Mail",
      message: {
        from: { name: "Cow", wallet: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
        to: { name: "Bob", wallet: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" },
        contents: "Hello, Bob!",
      },
    };
    expect(TypedDataEncoder.hash(td.domain, td.types, td.message)).toBe(
      "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
    );
    const sig =
      "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c";
    expect(verifyTypedSignature(td as never, sig)).toBe(cow.address);
  });

  it("signs and recovers each type, also through the JSON-safe form", async () => {
    const d = domainOf("EmrRegistry", 20200n, CONTRACT);
    const tds = [
      applicationTypedData(d, {
        applicant: wallet.address,
        role: ROLE.doctor,
        hospital: CONTRACT,
        profileHash: H1,
        nonce: randomNonce(),
        deadline: Date.now() + 60_000,
      }),
      decisionTypedData(d, {
        member: CONTRACT,
        decision: DECISION.approve,
        reasonHash: H2,
        nonce: randomNonce(),
        deadline: 1n,
      }),
      emrAuthorizationTypedData(d, {
        recordId: H1,
        patient: wallet.address,
        doctor: CONTRACT,
        hospital: CONTRACT,
        contentHash: H2,
        fieldsRoot: H1,
        storagePointer: "local:abc",
        createdAt: 1_700_000_000_123n,
        nonce: randomNonce(),
        deadline: 2n ** 255n,
      }),
      emrUpdateTypedData(d, {
        recordId: H1,
        version: 3n,
        doctor: CONTRACT,
        contentHash: H2,
        fieldsRoot: H1,
        storagePointer: "local:def",
        reasonHash: H2,
        nonce: randomNonce(),
        deadline: 5n,
      }),
      emrDeletionTypedData(d, { recordId: H1, reasonHash: H2, nonce: randomNonce(), deadline: 9n }),
      hospitalLevelTypedData(domainOf("AllianceRegistry", 20200n, CONTRACT), {
        hospital: CONTRACT,
        level: 2,
        nonce: randomNonce(),
        deadline: 9n,
      }),
    ];
    for (const td of tds) {
      const sig = await signTypedData(wallet, td);
      expect(verifyTypedSignature(td, sig)).toBe(wallet.address);
      const json = JSON.stringify(typedDataToJson(td));
      const parsed = JSON.parse(json);
      expect(typeof parsed.message.nonce).toBe("string");
      expect(parsed.domain.chainId).toBe("20200");
      expect(verifyTypedSignature(parsed, sig)).toBe(wallet.address);
      const back = typedDataFromJson(json);
      expect(back).toEqual(td);
      expect(await signTypedData(wallet, parsed)).toBe(sig);
    }
  });

  it("pins a signature for a fixed key and message (RFC 6979 is deterministic)", async () => {
    const td = emrAuthorizationTypedData(domainOf("EmrRegistry", 20200, CONTRACT), {
      recordId: H1,
      patient: wallet.address,
      doctor: wallet.address,
      hospital: CONTRACT,
      contentHash: H2,
      fieldsRoot: H1,
      storagePointer: "local:1",
      createdAt: 1_700_000_000_000n,
      nonce: 42n,
      deadline: 1_800_000_000_000n,
    });
    const sig = await signTypedData(wallet, td);
    expect(sig).toBe(PINNED_SIG);
  });

  it("rejects a typed-data JSON with altered types", () => {
    const td = decisionTypedData(domainOf("A", 1, CONTRACT), {
      member: CONTRACT,
      decision: 1,
      reasonHash: H1,
      nonce: 1,
      deadline: 1,
    });
    const j = typedDataToJson(td);
    (j.types.Decision as Array<{ name: string; type: string }>)[1] = { name: "decision", type: "uint256" };
    expect(() => typedDataFromJson(j)).toThrow(/types do not match/);
  });

  it("randomNonce is a 256-bit decimal string", () => {
    const a = randomNonce();
    expect(a).toMatch(/^\d+$/);
    expect(BigInt(a) < 2n ** 256n).toBe(true);
    expect(randomNonce()).not.toBe(a);
  });
});

const PINNED_SIG =
  "0x71e7c865040aea9bfd3923618350fe17d3e542520018cfe1d28f71bb072898b964fc85795fd0b4ba08bcef4d8056b383b73b6893d3c53cc2a9ef2ddb073e94eb1b";
