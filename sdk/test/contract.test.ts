import { describe, expect, it } from "vitest";
import { Interface, ParamType, getAddress } from "ethers";
import {
  CallRevertError,
  ContractHandle,
  ContractRevertError,
  decodeCallResults,
  decodeLogs,
  decodeRevertData,
  deployContract,
  fromCallResult,
  toFuncParam,
  toFuncParams,
  toNamed,
  type CallRequest,
  type ChainClient,
  type DeployRequest,
  type SendRequest,
  type TransactionReceipt,
} from "../src/index.ts";

const ABI = [
  "constructor(address[] admins, uint256 chainId)",
  "function memberOf(address a) view returns (uint8 role, uint8 status, address hospital, bytes32 profileHash, address operator)",
  "function isAdmin(address a) view returns (bool)",
  "function decide(address member, uint8 decision, bytes32 reasonHash, uint256 nonce, uint256 deadline, bytes adminSig)",
  "function storagePointer(bytes32 id) view returns (string)",
  "error AllianceNotAdmin(address signer)",
  "error AllianceBadStatus(address member, uint8 status, uint8 expected)",
  "event MemberDecided(address indexed member, uint8 indexed decision, address indexed admin, bytes32 reasonHash)",
  "event RecordWritten(bytes32 indexed recordId, address indexed patient, address indexed doctor, address hospital, bytes32 contentHash, string storagePointer, uint256 createdAt, uint256 version)",
];
const iface = new Interface(ABI);
const JSON_ABI = JSON.parse(iface.formatJson()) as unknown[];
const A = "0x00000000000000000000000000000000000000aa";
const B = getAddress("0xabcdef0000000000000000000000000000000001");
const H = `0x${"ab".repeat(32)}`;
const KEY = {
  address: A,
  publicKey: "",
  privateKey: "",
  userName: "x",
  type: 0,
  signUserId: null,
  appId: null,
};

function receipt(over: Partial<TransactionReceipt>): TransactionReceipt {
  return {
    version: 0,
    contractAddress: "",
    gasUsed: "1000",
    status: 0,
    statusOK: true,
    blockNumber: 5,
    output: "0x",
    transactionHash: `0x${"cd".repeat(32)}`,
    hash: `0x${"ce".repeat(32)}`,
    logEntries: [],
    input: "0x",
    from: A,
    to: B.toLowerCase(),
    message: "Success",
    ...over,
  };
}

class FakeClient implements ChainClient {
  readonly groupId = "group0";
  calls: CallRequest[] = [];
  sends: SendRequest[] = [];
  deploys: DeployRequest[] = [];
  callResult: string[] | Error = [];
  sendResult: TransactionReceipt = receipt({});
  async blockNumber() {
    return 0;
  }
  async blockByNumber() {
    return null;
  }
  async blockByHash() {
    return null;
  }
  async transaction() {
    return null;
  }
  async transactionReceipt() {
    return null;
  }
  async receiptsOfBlock() {
    return [];
  }
  async systemConfig() {
    return null;
  }
  async cryptoType() {
    return "ecdsa" as const;
  }
  async createKey() {
    return KEY;
  }
  async importKey() {
    return KEY;
  }
  async deploy(r: DeployRequest) {
    this.deploys.push(r);
    return A;
  }
  async call(r: CallRequest) {
    this.calls.push(r);
    if (this.callResult instanceof Error) throw this.callResult;
    return this.callResult;
  }
  async send(r: SendRequest) {
    this.sends.push(r);
    return this.sendResult;
  }
  async eventLogs() {
    return [];
  }
}

describe("funcParam conversion", () => {
  it("converts scalars", () => {
    expect(toFuncParam("uint256", 2n ** 255n)).toBe((2n ** 255n).toString());
    expect(toFuncParam("uint8", 3)).toBe("3");
    expect(toFuncParam("int256", -5n)).toBe("-5");
    expect(toFuncParam("uint256", "0x10")).toBe("16");
    expect(toFuncParam("bool", true)).toBe("true");
    expect(toFuncParam("bool", false)).toBe("false");
    expect(toFuncParam("address", B)).toBe(B.toLowerCase());
    expect(toFuncParam("bytes32", H.toUpperCase().replace("0X", "0x"))).toBe(H);
    expect(toFuncParam("bytes32", new Uint8Array(32).fill(0xab))).toBe(H);
    expect(toFuncParam("bytes", new Uint8Array([1, 2, 255]))).toBe("0x0102ff");
    expect(toFuncParam("string", '医元疗 "x"')).toBe('医元疗 "x"');
  });

  it("converts arrays to a JSON string", () => {
    expect(toFuncParam("address[]", [A, B])).toBe(`["${A}","${B.toLowerCase()}"]`);
    expect(toFuncParam("uint256[]", [1n, 2, "3"])).toBe("[1,2,3]");
    expect(toFuncParam("bool[2]", [true, false])).toBe("[true,false]");
    expect(toFuncParam("string[]", ["a", 'b"c'])).toBe('["a","b\\"c"]');
    expect(toFuncParam("bytes32[]", [H])).toBe(`["${H}"]`);
  });

  it("rejects bad values with the argument named", () => {
    expect(() => toFuncParam("uint256", 1.5)).toThrow(/safe integer/);
    expect(() => toFuncParam("bytes32", "0x1234")).toThrow(/32 bytes/);
    expect(() => toFuncParam("address", "0x123")).toThrow();
    expect(() => toFuncParam("bool", "yes")).toThrow();
    expect(() => toFuncParam("bool[2]", [true])).toThrow(/2 elements/);
    expect(() => toFuncParam("tuple(uint256 a)", [1])).toThrow(/tuple/);
    const f = iface.getFunction("isAdmin")!;
    expect(() => toFuncParams(f.inputs, [], "isAdmin")).toThrow(/expected 1 arguments, got 0/);
    expect(() => toFuncParams(f.inputs, ["nope"], "isAdmin")).toThrow(/isAdmin: argument a \(address\)/);
  });
});

describe("call result decoding", () => {
  it("converts WeBASE strings to typed values", () => {
    expect(fromCallResult("uint256", "123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(fromCallResult("int8", "-1")).toBe(-1n);
    expect(fromCallResult("bool", "true")).toBe(true);
    expect(fromCallResult("bool", "false")).toBe(false);
    expect(fromCallResult("address", B.toLowerCase())).toBe(getAddress(B));
    expect(fromCallResult("bytes32", H.toUpperCase().replace("0X", "0x"))).toBe(H);
    expect(fromCallResult("bytes32", `hex://${H}`)).toBe(H);
    expect(fromCallResult("bytes", "base64://AQL/")).toBe("0x0102ff");
    expect(fromCallResult("bytes", "0102ff")).toBe("0x0102ff");
    expect(fromCallResult("string", "医元疗")).toBe("医元疗");
    expect(fromCallResult("uint256[]", "[1,2]")).toEqual([1n, 2n]);
    expect(fromCallResult("address[]", `["${A}"]`)).toEqual([getAddress(A)]);
  });

  it("gives positional and named access to several outputs", () => {
    const f = iface.getFunction("memberOf")!;
    const r = decodeCallResults(f.outputs, ["2", "1", A, H, "0x0000000000000000000000000000000000000000"]);
    expect(r).toEqual([2n, 1n, getAddress(A), H, "0x0000000000000000000000000000000000000000"]);
    expect(r.role).toBe(2n);
    expect(r.hospital).toBe(getAddress(A));
    expect(toNamed(r)).toEqual({
      role: 2n,
      status: 1n,
      hospital: getAddress(A),
      profileHash: H,
      operator: "0x0000000000000000000000000000000000000000",
    });
    expect(() => decodeCallResults(f.outputs, ["1"])).toThrow(/expected 5 results/);
  });
});

describe("revert decoding", () => {
  it("decodes a custom error encoded by ethers", () => {
    const data = iface.encodeErrorResult("AllianceBadStatus", [B, 3, 1]);
    const d = decodeRevertData(data, JSON_ABI);
    expect(d?.errorName).toBe("AllianceBadStatus");
    expect(d?.signature).toBe("AllianceBadStatus(address,uint8,uint8)");
    expect(Array.from(d!.errorArgs)).toEqual([getAddress(B), 3n, 1n]);
    expect(d!.errorArgs.status).toBe(3n);
  });

  it("decodes Error(string) and returns null for unknown data", () => {
    const data = new Interface([]).encodeErrorResult("Error", ["nope"]);
    expect(decodeRevertData(data, JSON_ABI)?.errorName).toBe("Error");
    expect(decodeRevertData("0xdeadbeef", JSON_ABI)).toBeNull();
    expect(decodeRevertData("0x", JSON_ABI)).toBeNull();
    expect(decodeRevertData(null, JSON_ABI)).toBeNull();
  });
});

describe("decodeLogs", () => {
  it("decodes the logs of a receipt and skips unknown ones", () => {
    const ev = iface.getEvent("MemberDecided")!;
    const enc = iface.encodeEventLog(ev, [A, 1, B, H]);
    const ev2 = iface.getEvent("RecordWritten")!;
    const enc2 = iface.encodeEventLog(ev2, [H, A, B, A, H, "local:xyz", 1_700_000_000_000n, 1n]);
    const r = receipt({
      logEntries: [
        { address: B, topics: enc.topics, data: enc.data, blockNumber: 5 },
        { address: B, topics: [`0x${"00".repeat(32)}`], data: "0x" },
        { address: A, topics: enc2.topics, data: enc2.data, blockNumber: 5 },
      ],
    });
    const out = decodeLogs(r, JSON_ABI);
    expect(out.map((e) => e.name)).toEqual(["MemberDecided", "RecordWritten"]);
    const [d, w] = out as [(typeof out)[0], (typeof out)[0]];
    expect(d.address).toBe(B.toLowerCase());
    expect(d.args.member).toBe(getAddress(A));
    expect(d.args.decision).toBe(1n);
    expect(d.args.admin).toBe(getAddress(B));
    expect(d.args.reasonHash).toBe(H);
    expect(d.logIndex).toBe(0);
    expect(d.topics).toEqual(enc.topics);
    expect(w.args.storagePointer).toBe("local:xyz");
    expect(w.args.createdAt).toBe(1_700_000_000_000n);
    expect(w.logIndex).toBe(2);
    expect(decodeLogs(r.logEntries, JSON_ABI)).toHaveLength(2);
  });
});

describe("ContractHandle", () => {
  const setup = () => {
    const client = new FakeClient();
    const h = new ContractHandle(client, { address: B, abi: JSON_ABI, contractName: "AllianceRegistry" }, A);
    return { client, h };
  };

  it("call converts arguments and results", async () => {
    const { client, h } = setup();
    client.callResult = ["true"];
    expect(await h.call<boolean>("isAdmin", [B])).toBe(true);
    expect(client.calls[0]).toMatchObject({
      address: B.toLowerCase(),
      funcName: "isAdmin",
      params: [B.toLowerCase()],
      contractName: "AllianceRegistry",
      user: A,
    });
    expect(client.calls[0]?.abi).toBe(JSON_ABI);
    client.callResult = ["3", "2", A, H, B];
    const m = await h.call<{ role: bigint; operator: string }>("memberOf", [A]);
    expect(m.role).toBe(3n);
    expect(m.operator).toBe(getAddress(B));
  });

  it("call passes a CallRevertError through with WeBASE-Front's reason only", async () => {
    const { client, h } = setup();
    // what WeBASE-Front sends for a custom error: the status, never the error's name
    const revert = new CallRevertError("call contract error of status:16");
    client.callResult = revert;
    const err = await h.call("isAdmin", [A]).catch((e: unknown) => e);
    expect(err).toBe(revert);
    expect((err as CallRevertError).reason).toBe("call contract error of status:16");
    expect(Object.keys(err as object)).not.toContain("errorName");
  });

  it("send returns the receipt, throws ContractRevertError on statusOK false", async () => {
    const { client, h } = setup();
    const ok = await h.send("decide", [A, 1, H, 5n, 9n, "0x1234"]);
    expect(ok.statusOK).toBe(true);
    expect(client.sends[0]).toMatchObject({
      user: A,
      funcName: "decide",
      params: [A, "1", H, "5", "9", "0x1234"],
    });

    client.sendResult = receipt({
      status: 16,
      statusOK: false,
      output: iface.encodeErrorResult("AllianceBadStatus", [A, 2, 1]),
      message: "revert",
    });
    const err = (await h
      .send("decide", [A, 1, H, 5n, 9n, "0x"], { user: B })
      .catch((e: unknown) => e)) as ContractRevertError;
    expect(err).toBeInstanceOf(ContractRevertError);
    expect(err.errorName).toBe("AllianceBadStatus");
    expect(Array.from(err.errorArgs)).toEqual([getAddress(A), 2n, 1n]);
    expect(err.args).toBe(err.errorArgs);
    expect(err.receipt.status).toBe(16);
    expect(err.message).toBe(`AllianceRegistry.decide reverted: AllianceBadStatus(${getAddress(A)}, 2, 1)`);
    expect(client.sends[1]?.user).toBe(B);

    client.sendResult = receipt({
      status: 16,
      statusOK: false,
      output: new Interface([]).encodeErrorResult("Error", ["not allowed"]),
    });
    const e2 = (await h
      .send("decide", [A, 1, H, 5n, 9n, "0x"])
      .catch((e: unknown) => e)) as ContractRevertError;
    expect(e2.errorName).toBe("Error");
    expect(e2.message).toBe("AllianceRegistry.decide reverted: not allowed");

    client.sendResult = receipt({ status: 16, statusOK: false, output: "0x", message: "out of gas" });
    const e3 = (await h
      .send("decide", [A, 1, H, 5n, 9n, "0x"])
      .catch((e: unknown) => e)) as ContractRevertError;
    expect(e3.errorName).toBeNull();
    expect(e3.message).toBe("AllianceRegistry.decide reverted: out of gas");
  });

  it("send without a user is refused before reaching the client", async () => {
    const client = new FakeClient();
    const h = new ContractHandle(client, { address: B, abi: JSON_ABI, contractName: "X" });
    await expect(h.send("decide", [A, 1, H, 5n, 9n, "0x"])).rejects.toThrow(/no sending user/);
    await expect(h.call("nope")).rejects.toThrow(/no function nope/);
    expect(client.sends).toHaveLength(0);
  });

  it("decodeLogs keeps only this contract's logs", () => {
    const { h } = setup();
    const enc = iface.encodeEventLog(iface.getEvent("MemberDecided")!, [A, 1, B, H]);
    const r = receipt({
      logEntries: [
        { address: B.toLowerCase(), ...enc },
        { address: A, ...enc },
      ],
    });
    expect(h.decodeLogs(r)).toHaveLength(1);
  });

  it("deployContract converts constructor arguments", async () => {
    const client = new FakeClient();
    const addr = await deployContract(client, {
      user: A,
      artifact: { contractName: "AllianceRegistry", abi: JSON_ABI, bytecode: "0x6080" },
      args: [[A, B], 20200],
    });
    expect(addr).toBe(A);
    expect(client.deploys[0]).toMatchObject({
      user: A,
      contractName: "AllianceRegistry",
      bytecode: "0x6080",
      params: [`["${A}","${B.toLowerCase()}"]`, "20200"],
    });
  });

  it("ParamType objects work as well as strings", () => {
    expect(toFuncParam(ParamType.from("uint8"), 7)).toBe("7");
  });
});
