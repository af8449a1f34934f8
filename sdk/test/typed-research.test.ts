import { describe, expect, it } from "vitest";
import {
  AbiCoder,
  TypedDataEncoder,
  Wallet,
  concat,
  keccak256,
  toUtf8Bytes,
  ZeroAddress,
  ZeroHash,
} from "ethers";
import { domainOf, verifyTypedSignature } from "../src/eip712.ts";
import { signTypedData } from "../src/keys.ts";
import {
  RESEARCH_ACTION,
  RESEARCH_ACTION_TYPES,
  researchAction,
  researchActionTypedData,
} from "../src/typed/research.ts";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const wallet = new Wallet(KEY);
const CONTRACT = "0x1234567890123456789012345678901234567890";
const PID = `0x${"ab".repeat(32)}`;
const H1 = `0x${"11".repeat(32)}`;
const HOSPITAL = "0x00000000000000000000000000000000000000aa";
const TYPE =
  "ResearchAction(bytes32 projectId,uint8 action,address subject,uint256 amount,bytes32 dataHash,uint256 nonce,uint256 deadline)";

describe("ResearchAction typed data", () => {
  const d = domainOf("ResearchAllocation", 20200, CONTRACT);

  it("has the action codes and type string of docs/contracts.md", () => {
    expect(RESEARCH_ACTION).toEqual({ create: 1, addMember: 2, commitInputs: 3, allocate: 4, finalize: 5 });
    const td = researchActionTypedData(d, { projectId: PID, action: 1, nonce: 1, deadline: 2 });
    expect(td.primaryType).toBe("ResearchAction");
    expect(TypedDataEncoder.from(td.types).encodeType("ResearchAction")).toBe(TYPE);
    expect(td.types).toEqual({ ResearchAction: RESEARCH_ACTION_TYPES.ResearchAction.map((f) => ({ ...f })) });
  });

  it("per-action builders fill the fields the action uses and zero the rest", () => {
    const s = { nonce: 7n, deadline: 9n };
    const msg = (td: { message: unknown }): unknown => td.message;
    expect(
      msg(researchAction.create(d, { projectId: PID, total: 1000n, descriptionHash: H1, ...s })),
    ).toEqual({
      projectId: PID,
      action: 1,
      subject: ZeroAddress,
      amount: 1000n,
      dataHash: H1,
      ...s,
    });
    expect(msg(researchAction.addMember(d, { projectId: PID, hospital: HOSPITAL, ...s }))).toEqual({
      projectId: PID,
      action: 2,
      subject: "0x00000000000000000000000000000000000000AA",
      amount: 0n,
      dataHash: ZeroHash,
      ...s,
    });
    expect(msg(researchAction.commitInputs(d, { projectId: PID, inputsHash: H1, ...s }))).toEqual({
      projectId: PID,
      action: 3,
      subject: ZeroAddress,
      amount: 0n,
      dataHash: H1,
      ...s,
    });
    expect(
      msg(researchAction.allocate(d, { projectId: PID, hospital: HOSPITAL, amount: "250", ...s })),
    ).toEqual({
      projectId: PID,
      action: 4,
      subject: "0x00000000000000000000000000000000000000AA",
      amount: 250n,
      dataHash: ZeroHash,
      ...s,
    });
    expect(msg(researchAction.finalize(d, { projectId: PID, ...s }))).toEqual({
      projectId: PID,
      action: 5,
      subject: ZeroAddress,
      amount: 0n,
      dataHash: ZeroHash,
      ...s,
    });
  });

  it("rejects bad fields", () => {
    const base = { projectId: PID, nonce: 1, deadline: 2 };
    expect(() => researchActionTypedData(d, { ...base, action: 0 })).toThrow(TypeError);
    expect(() => researchActionTypedData(d, { ...base, action: 6 })).toThrow(TypeError);
    expect(() => researchActionTypedData(d, { ...base, projectId: "0x12", action: 1 })).toThrow(TypeError);
    expect(() => researchActionTypedData(d, { ...base, action: 4, amount: -1n })).toThrow(TypeError);
    expect(() => researchActionTypedData(d, { ...base, action: 2, subject: "0xnope" })).toThrow();
  });

  it("matches a digest computed by hand and recovers the signer", async () => {
    const td = researchAction.allocate(d, {
      projectId: PID,
      hospital: HOSPITAL,
      amount: 250n,
      nonce: 7n,
      deadline: 9n,
    });
    const coder = AbiCoder.defaultAbiCoder();
    const domainSep = keccak256(
      coder.encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [
          keccak256(
            toUtf8Bytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
          ),
          keccak256(toUtf8Bytes("ResearchAllocation")),
          keccak256(toUtf8Bytes("1")),
          20200n,
          CONTRACT,
        ],
      ),
    );
    const structHash = keccak256(
      coder.encode(
        ["bytes32", "bytes32", "uint8", "address", "uint256", "bytes32", "uint256", "uint256"],
        [keccak256(toUtf8Bytes(TYPE)), PID, 4, HOSPITAL, 250n, ZeroHash, 7n, 9n],
      ),
    );
    const digest = keccak256(concat(["0x1901", domainSep, structHash]));
    expect(TypedDataEncoder.hash(td.domain, td.types, td.message)).toBe(digest);

    const sig = await signTypedData(wallet, td);
    expect(verifyTypedSignature(td, sig)).toBe(wallet.address);
    const other = researchAction.allocate(d, {
      projectId: PID,
      hospital: HOSPITAL,
      amount: 251n,
      nonce: 7n,
      deadline: 9n,
    });
    expect(verifyTypedSignature(other, sig)).not.toBe(wallet.address);
  });
});
