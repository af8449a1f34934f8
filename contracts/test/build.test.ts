import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findForbiddenOpcodes, stripMetadata } from "../scripts/build.ts";
import { AllianceRegistry, EmrRegistry, artifacts } from "../src/index.ts";

interface AbiParam {
  type: string;
  name: string;
}
interface AbiEntry {
  type: string;
  name?: string;
  inputs?: AbiParam[];
  outputs?: AbiParam[];
}

const abiOf = (a: { abi: readonly unknown[] }): readonly AbiEntry[] => a.abi as readonly AbiEntry[];

describe("opcode walker", () => {
  it("finds PUSH0 and skips PUSH data", () => {
    expect(findForbiddenOpcodes("0x5f")).toEqual([{ offset: 0, name: "PUSH0" }]);
    expect(findForbiddenOpcodes("0x605f00")).toEqual([]); // PUSH1 0x5f; STOP
    expect(findForbiddenOpcodes("0x7f" + "5f".repeat(32) + "00")).toEqual([]); // PUSH32 data
    expect(findForbiddenOpcodes("0x60015f48ff46")).toEqual([
      { offset: 2, name: "PUSH0" },
      { offset: 3, name: "BASEFEE" },
      { offset: 4, name: "SELFDESTRUCT" },
      { offset: 5, name: "CHAINID" },
    ]);
  });

  it("strips solc's CBOR metadata trailer", () => {
    const code = Buffer.from(AllianceRegistry.bytecode.slice(2), "hex");
    const json = JSON.parse(
      readFileSync(new URL("../artifacts/AllianceRegistry.json", import.meta.url), "utf8"),
    ) as {
      deployedBytecode: string;
    };
    const runtime = Buffer.from(json.deployedBytecode.slice(2), "hex");
    const stripped = stripMetadata(runtime);
    expect(stripped.length).toBeLessThan(runtime.length);
    expect(runtime[stripped.length]).toBe(0xa2); // {ipfs, solc}
    expect(code.length).toBeGreaterThan(runtime.length);
  });
});

describe("artifacts", () => {
  it("are the two deployable contracts with 0x bytecode", () => {
    expect(Object.keys(artifacts)).toEqual(expect.arrayContaining(["AllianceRegistry", "EmrRegistry"]));
    for (const a of [AllianceRegistry, EmrRegistry]) {
      expect(a.bytecode).toMatch(/^0x[0-9a-f]+$/);
      const json = JSON.parse(
        readFileSync(new URL(`../artifacts/${a.contractName}.json`, import.meta.url), "utf8"),
      ) as {
        deployedBytecode: string;
        compiler: { version: string; settings: { evmVersion: string } };
      };
      expect(findForbiddenOpcodes(json.deployedBytecode)).toEqual([]);
      expect(json.compiler.version.startsWith("0.8.11+")).toBe(true);
      expect(json.compiler.settings.evmVersion).toBe("london");
    }
  });

  it("external functions take and return only flat scalars (the constructor's admins and verifyField's proof excepted)", () => {
    for (const a of [AllianceRegistry, EmrRegistry]) {
      for (const e of abiOf(a)) {
        const params = [...(e.inputs ?? []), ...(e.outputs ?? [])];
        for (const p of params) {
          if (e.type === "constructor" && p.name === "admins") {
            expect(p.type).toBe("address[]");
            continue;
          }
          if (e.name === "verifyField" && p.name === "proof") {
            expect(p.type).toBe("bytes32[]"); // a flat list of hashes (docs/contracts.md)
            continue;
          }
          expect(p.type, `${a.contractName}.${e.name ?? e.type}(${p.name})`).not.toMatch(/\[|tuple/);
        }
      }
    }
  });

  it("match the ABI of docs/interfaces.md", () => {
    const sigs = (abi: readonly AbiEntry[], type: string) =>
      abi
        .filter((e) => e.type === type)
        .map((e) => `${e.name}(${(e.inputs ?? []).map((i) => i.type).join(",")})`)
        .sort();
    const alliance = abiOf(AllianceRegistry);
    const emr = abiOf(EmrRegistry);
    expect(sigs(alliance, "function")).toEqual(
      [
        "applyAsPatient(address,bytes32,uint256,uint256,bytes)",
        "applyAsHospital(address,address,bytes32,uint256,uint256,bytes)",
        "registerDoctor(address,address,bytes32,uint256,uint256,bytes)",
        "decide(address,uint8,bytes32,uint256,uint256,bytes)",
        "addAdmin(address)",
        "removeAdmin(address)",
        "memberOf(address)",
        "isActive(address,uint8)",
        "operatorOf(address)",
        "isAdmin(address)",
        "nonceUsed(address,uint256)",
        // additions beyond interfaces.md
        "isRelayer(address)",
        "owner()",
        "domainSeparator()",
        // docs/contracts.md, AllianceRegistry (extended)
        "setHospitalLevel(address,uint8,uint256,uint256,bytes)",
        "certifyDoctor(address,bytes32,bytes32,uint256)",
        "revokeCertification(address,bytes32)",
        "hospitalLevel(address)",
        "certificationOf(address)",
        "isCertified(address)",
        "hospitalOfOperator(address)",
      ].sort(),
    );
    expect(sigs(alliance, "event")).toEqual(
      [
        "MemberApplied(address,uint8,address,bytes32,address)",
        "MemberDecided(address,uint8,address,bytes32)",
        "AdminAdded(address)",
        "AdminRemoved(address)",
        "HospitalLevelSet(address,uint8,address)",
        "DoctorCertified(address,address,bytes32,bytes32,uint256)",
        "CertificationRevoked(address,address,bytes32)",
      ].sort(),
    );
    expect(sigs(emr, "function")).toEqual(
      [
        "writeRecord(bytes32,address,address,bytes32,bytes32,string,uint256,uint256,uint256,uint256,bytes,bytes)",
        "updateRecord(bytes32,address,bytes32,bytes32,string,bytes32,uint256,uint256,uint256,bytes,bytes)",
        "deleteRecord(bytes32,bytes32,uint256,uint256,bytes)",
        "setDelegation(address)",
        "recordOf(bytes32)",
        "versionOf(bytes32,uint256)",
        "verifyField(bytes32,uint256,bytes32,bytes32,bytes32[])",
        "exists(bytes32)",
        "isDeleted(bytes32)",
        "patientOf(bytes32)",
        "hospitalOf(bytes32)",
        "nonceUsed(address,uint256)",
        "allianceRegistry()",
        "delegation()",
        "owner()",
        "domainSeparator()",
      ].sort(),
    );
    expect(sigs(emr, "event")).toEqual(
      [
        "RecordWritten(bytes32,address,address,address,bytes32,bytes32,string,uint256,uint256)",
        "RecordUpdated(bytes32,uint256,address,address,bytes32,bytes32,string,bytes32)",
        "RecordDeleted(bytes32,address,bytes32,uint256)",
        "DelegationSet(address)",
      ].sort(),
    );
    const outputs = (abi: readonly AbiEntry[], fn: string) =>
      abi.find((e) => e.type === "function" && e.name === fn)?.outputs?.map((o) => `${o.type} ${o.name}`);
    expect(outputs(alliance, "memberOf")).toEqual([
      "uint8 role",
      "uint8 status",
      "address hospital",
      "bytes32 profileHash",
      "address operator",
    ]);
    expect(outputs(emr, "recordOf")).toEqual([
      "address patient",
      "address doctor",
      "address hospital",
      "bytes32 contentHash",
      "string storagePointer",
      "uint256 createdAt",
      "uint256 version",
      "uint256 writtenAt",
    ]);
  });
});
