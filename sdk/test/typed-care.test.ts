import { describe, expect, it } from "vitest";
import { AbiCoder, Wallet, concat, id, keccak256, solidityPackedKeccak256, TypedDataEncoder } from "ethers";
import { domainOf, typedDataToJson, verifyTypedSignature } from "../src/eip712.ts";
import { signTypedData } from "../src/keys.ts";
import { typedDataFromJson } from "../src/typed/registry.ts";
import {
  CARE_CONTRACT_OF,
  CARE_EIP712_TYPES,
  CARE_STEP,
  CARE_STEPS,
  HOSPITAL_LEVEL,
  INITIAL_SCORE,
  SCORE_MAX,
  SCORE_MAX_DELTA,
  SCORE_MIN,
  SCORE_REASON,
  SCORE_REASONS,
  careProcessDomain,
  careStepOf,
  careStepTypedData,
  checkAdjustment,
  clampScore,
  feedbackTypedData,
  finishesVisit,
  hospitalScoreDomain,
  nextCareSteps,
  scoreAdjustmentTypedData,
  visitIdOf,
  visitOpeningTypedData,
} from "../src/typed/care.ts";

const KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const wallet = new Wallet(KEY);
const CONTRACT = "0x1234567890123456789012345678901234567890";
const H1 = `0x${"11".repeat(32)}`;
const H2 = `0x${"22".repeat(32)}`;
const ZERO_HASH = `0x${"00".repeat(32)}`;
const abi = AbiCoder.defaultAbiCoder();

const domainSeparatorOf = (name: string, chainId: bigint, contract: string): string =>
  keccak256(
    abi.encode(
      ["bytes32", "bytes32", "bytes32", "uint256", "address"],
      [
        id("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
        id(name),
        id("1"),
        chainId,
        contract,
      ],
    ),
  );

const all = () => {
  const cd = careProcessDomain(20200, CONTRACT);
  const sd = hospitalScoreDomain(20200, CONTRACT);
  return [
    visitOpeningTypedData(cd, {
      visitId: H1,
      patient: wallet.address,
      hospital: CONTRACT,
      nonce: 1,
      deadline: 2,
    }),
    careStepTypedData(cd, { visitId: H1, step: 5, contentHash: H2, continues: true, nonce: 3, deadline: 4 }),
    scoreAdjustmentTypedData(sd, {
      hospital: CONTRACT,
      reasonCode: SCORE_REASON.misdiagnosis,
      delta: -50,
      evidenceHash: H2,
      nonce: 5,
      deadline: 6,
    }),
    feedbackTypedData(sd, { visitId: H1, rating: 5, commentHash: H2, nonce: 7, deadline: 8 }),
  ] as const;
};

describe("care constants", () => {
  it("has the seven steps with their Chinese and English names", () => {
    expect(CARE_STEP).toEqual({
      registration: 1,
      ticket: 2,
      consultation: 3,
      labTest: 4,
      paymentDispensing: 5,
      admission: 6,
      discharge: 7,
    });
    expect(CARE_STEPS.map((s) => [s.code, s.zh, s.en, s.optional])).toEqual([
      [1, "挂号", "registration", false],
      [2, "取号", "ticket", false],
      [3, "门诊", "consultation", false],
      [4, "化验", "lab test", true],
      [5, "缴费拿药", "payment and dispensing", false],
      [6, "住院", "admission", true],
      [7, "出院", "discharge", false],
    ]);
    for (const s of CARE_STEPS) expect(CARE_STEP[s.key]).toBe(s.code);
    expect(Object.isFrozen(CARE_STEPS)).toBe(true);
    expect(Object.isFrozen(CARE_STEPS[0])).toBe(true);
    expect(careStepOf(3)?.zh).toBe("门诊");
    expect(careStepOf(0)).toBeUndefined();
    expect(careStepOf(8)).toBeUndefined();
  });

  it("has the score reasons, levels and bounds of docs/contracts.md", () => {
    expect(SCORE_REASON).toEqual({ misdiagnosis: 1, rescue: 2, preVisitService: 3, postVisitService: 4 });
    expect(SCORE_REASONS.map((r) => [r.code, r.zh, r.en, r.sign])).toEqual([
      [1, "误诊", "misdiagnosis", -1],
      [2, "疑难杂症救治", "rescue of difficult cases", 1],
      [3, "诊前服务", "pre-visit service", 0],
      [4, "诊后服务", "post-visit service", 0],
    ]);
    for (const r of SCORE_REASONS) expect(SCORE_REASON[r.key]).toBe(r.code);
    expect(HOSPITAL_LEVEL).toEqual({ first: 1, second: 2, third: 3 });
    expect(INITIAL_SCORE).toEqual({ 1: 600, 2: 700, 3: 800 });
    expect([SCORE_MIN, SCORE_MAX, SCORE_MAX_DELTA]).toEqual([0, 1000, 100]);
  });

  it("mirrors the contract's step order", () => {
    expect(nextCareSteps(0)).toEqual([1]);
    expect(nextCareSteps(1)).toEqual([2]);
    expect(nextCareSteps(2)).toEqual([3]);
    expect(nextCareSteps(3)).toEqual([4, 5]);
    expect(nextCareSteps(4)).toEqual([5]);
    expect(nextCareSteps(5)).toEqual([6, 7]);
    expect(nextCareSteps(6)).toEqual([7]);
    expect(nextCareSteps(7)).toEqual([]);
    expect(nextCareSteps(3, true)).toEqual([]);
    expect(finishesVisit(5, false)).toBe(true);
    expect(finishesVisit(5, true)).toBe(false);
    expect(finishesVisit(7, false)).toBe(true);
    expect(finishesVisit(4, false)).toBe(false);
  });

  it("mirrors the contract's adjustment rules and clamping", () => {
    expect(checkAdjustment(1, -50)).toBeNull();
    expect(checkAdjustment(1, 50)).toBe("HospitalScoreInvalidDelta");
    expect(checkAdjustment(2, -1n)).toBe("HospitalScoreInvalidDelta");
    expect(checkAdjustment(2, 100)).toBeNull();
    expect(checkAdjustment(3, -100)).toBeNull();
    expect(checkAdjustment(4, 0)).toBe("HospitalScoreInvalidDelta");
    expect(checkAdjustment(4, 101)).toBe("HospitalScoreDeltaOutOfRange");
    expect(checkAdjustment(1, -101)).toBe("HospitalScoreDeltaOutOfRange");
    expect(checkAdjustment(0, 1)).toBe("HospitalScoreInvalidReason");
    expect(checkAdjustment(5, 1)).toBe("HospitalScoreInvalidReason");
    expect(clampScore(990, 100)).toBe(1000n);
    expect(clampScore(30, -100)).toBe(0n);
    expect(clampScore(800, -50)).toBe(750n);
    // worked example: 800 − 50 + 30 + (5 − 3) + (1 − 3)
    expect([-50, 30, 2, -2].reduce((s, d) => clampScore(s, d), 800n)).toBe(780n);
  });

  it("computes visitId = keccak256(abi.encodePacked(patient, hospital, openedAtMs))", () => {
    const t = 1_763_900_000_123n;
    expect(visitIdOf(wallet.address.toLowerCase(), CONTRACT, t)).toBe(
      solidityPackedKeccak256(["address", "address", "uint256"], [wallet.address, CONTRACT, t]),
    );
    expect(visitIdOf(wallet.address, CONTRACT, t)).not.toBe(visitIdOf(CONTRACT, wallet.address, t));
  });
});

describe("care typed data", () => {
  it("uses the contracts' domains", () => {
    expect(careProcessDomain(20200, CONTRACT.toLowerCase())).toEqual({
      name: "CareProcess",
      version: "1",
      chainId: 20200n,
      verifyingContract: CONTRACT,
    });
    expect(hospitalScoreDomain(20200n, CONTRACT)).toEqual(domainOf("HospitalScore", 20200n, CONTRACT));
    expect(CARE_CONTRACT_OF).toEqual({
      VisitOpening: "CareProcess",
      CareStep: "CareProcess",
      ScoreAdjustment: "HospitalScore",
      Feedback: "HospitalScore",
    });
  });

  it("encodes the type strings exactly as docs/contracts.md", () => {
    const [o, s, a, f] = all();
    expect(TypedDataEncoder.from(o.types).encodeType("VisitOpening")).toBe(
      "VisitOpening(bytes32 visitId,address patient,address hospital,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(s.types).encodeType("CareStep")).toBe(
      "CareStep(bytes32 visitId,uint8 step,bytes32 contentHash,bool continues,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(a.types).encodeType("ScoreAdjustment")).toBe(
      "ScoreAdjustment(address hospital,uint8 reasonCode,int256 delta,bytes32 evidenceHash,uint256 nonce,uint256 deadline)",
    );
    expect(TypedDataEncoder.from(f.types).encodeType("Feedback")).toBe(
      "Feedback(bytes32 visitId,uint8 rating,bytes32 commentHash,uint256 nonce,uint256 deadline)",
    );
    expect(Object.keys(CARE_EIP712_TYPES)).toEqual([
      "VisitOpening",
      "CareStep",
      "ScoreAdjustment",
      "Feedback",
    ]);
  });

  it("matches digests computed by hand (bool and negative int256 included)", () => {
    const [o, s, a, f] = all();
    const cds = domainSeparatorOf("CareProcess", 20200n, CONTRACT);
    const sds = domainSeparatorOf("HospitalScore", 20200n, CONTRACT);
    const digest = (ds: string, structHash: string) => keccak256(concat(["0x1901", ds, structHash]));
    const cases: [typeof o | typeof s | typeof a | typeof f, string][] = [
      [
        o,
        digest(
          cds,
          keccak256(
            abi.encode(
              ["bytes32", "bytes32", "address", "address", "uint256", "uint256"],
              [
                id(
                  "VisitOpening(bytes32 visitId,address patient,address hospital,uint256 nonce,uint256 deadline)",
                ),
                H1,
                wallet.address,
                CONTRACT,
                1,
                2,
              ],
            ),
          ),
        ),
      ],
      [
        s,
        digest(
          cds,
          keccak256(
            abi.encode(
              ["bytes32", "bytes32", "uint8", "bytes32", "bool", "uint256", "uint256"],
              [
                id(
                  "CareStep(bytes32 visitId,uint8 step,bytes32 contentHash,bool continues,uint256 nonce,uint256 deadline)",
                ),
                H1,
                5,
                H2,
                true,
                3,
                4,
              ],
            ),
          ),
        ),
      ],
      [
        a,
        digest(
          sds,
          keccak256(
            abi.encode(
              ["bytes32", "address", "uint8", "int256", "bytes32", "uint256", "uint256"],
              [
                id(
                  "ScoreAdjustment(address hospital,uint8 reasonCode,int256 delta,bytes32 evidenceHash,uint256 nonce,uint256 deadline)",
                ),
                CONTRACT,
                1,
                -50,
                H2,
                5,
                6,
              ],
            ),
          ),
        ),
      ],
      [
        f,
        digest(
          sds,
          keccak256(
            abi.encode(
              ["bytes32", "bytes32", "uint8", "bytes32", "uint256", "uint256"],
              [
                id(
                  "Feedback(bytes32 visitId,uint8 rating,bytes32 commentHash,uint256 nonce,uint256 deadline)",
                ),
                H1,
                5,
                H2,
                7,
                8,
              ],
            ),
          ),
        ),
      ],
    ];
    for (const [td, expected] of cases)
      expect(TypedDataEncoder.hash(td.domain, td.types, td.message)).toBe(expected);
  });

  it("normalizes inputs and defaults continues=false and a zero comment hash", () => {
    const cd = careProcessDomain(1, CONTRACT);
    const s = careStepTypedData(cd, {
      visitId: H1.toUpperCase().replace("0X", "0x"),
      step: 1,
      contentHash: H2,
      nonce: "9",
      deadline: 10,
    });
    expect(s.message).toEqual({
      visitId: H1,
      step: 1,
      contentHash: H2,
      continues: false,
      nonce: 9n,
      deadline: 10n,
    });
    const f = feedbackTypedData(hospitalScoreDomain(1, CONTRACT), {
      visitId: H1,
      rating: 3,
      nonce: 1,
      deadline: 2,
    });
    expect(f.message.commentHash).toBe(ZERO_HASH);
    const o = visitOpeningTypedData(cd, {
      visitId: H1,
      patient: wallet.address.toLowerCase(),
      hospital: CONTRACT.toLowerCase(),
      nonce: 1,
      deadline: 2,
    });
    expect(o.message.patient).toBe(wallet.address);
    expect(o.message.hospital).toBe(CONTRACT);
    const a = scoreAdjustmentTypedData(hospitalScoreDomain(1, CONTRACT), {
      hospital: CONTRACT,
      reasonCode: 2,
      delta: "-7",
      evidenceHash: H1,
      nonce: 1,
      deadline: 2,
    });
    expect(a.message.delta).toBe(-7n);
  });

  it("rejects malformed fields", () => {
    const cd = careProcessDomain(1, CONTRACT);
    const sd = hospitalScoreDomain(1, CONTRACT);
    expect(() =>
      careStepTypedData(cd, { visitId: "0x12", step: 1, contentHash: H2, nonce: 1, deadline: 2 }),
    ).toThrow(/visitId/);
    expect(() =>
      careStepTypedData(cd, { visitId: H1, step: 256, contentHash: H2, nonce: 1, deadline: 2 }),
    ).toThrow(/uint8/);
    expect(() =>
      careStepTypedData(cd, {
        visitId: H1,
        step: 1,
        contentHash: H2,
        continues: "yes" as never,
        nonce: 1,
        deadline: 2,
      }),
    ).toThrow(/boolean/);
    expect(() => feedbackTypedData(sd, { visitId: H1, rating: -1, nonce: 1, deadline: 2 })).toThrow(/uint8/);
    expect(() =>
      scoreAdjustmentTypedData(sd, {
        hospital: CONTRACT,
        reasonCode: 1,
        delta: 1n << 255n,
        evidenceHash: H1,
        nonce: 1,
        deadline: 2,
      }),
    ).toThrow(/int256/);
    expect(() =>
      visitOpeningTypedData(cd, {
        visitId: H1,
        patient: wallet.address,
        hospital: CONTRACT,
        nonce: -1,
        deadline: 2,
      }),
    ).toThrow(/uint256/);
    expect(() =>
      visitOpeningTypedData(cd, { visitId: H1, patient: "0xnot", hospital: CONTRACT, nonce: 1, deadline: 2 }),
    ).toThrow();
  });

  it("returns copies of the types", () => {
    const [a, b] = [all()[1], all()[1]];
    a.types.CareStep!.push({ name: "x", type: "uint8" });
    expect(b.types.CareStep).toHaveLength(6);
    expect(CARE_EIP712_TYPES.CareStep).toHaveLength(6);
  });

  it("signs and recovers each type, also through the JSON-safe form", async () => {
    for (const td of all()) {
      const sig = await signTypedData(wallet, td);
      expect(verifyTypedSignature(td, sig)).toBe(wallet.address);
      const json = JSON.parse(JSON.stringify(typedDataToJson(td))) as unknown;
      expect(verifyTypedSignature(json as never, sig)).toBe(wallet.address);
      expect(await signTypedData(wallet, json as never)).toBe(sig);
      const back = typedDataFromJson(json);
      expect(back).toEqual(td);
      expect(typedDataFromJson(JSON.stringify(json))).toEqual(td);
    }
    const adj = typedDataToJson(all()[2]);
    expect(adj.message.delta).toBe("-50");
    expect(adj.domain.chainId).toBe("20200");
  });

  it("reading JSON back checks the primary type, its fields and the domain name", () => {
    const td = typedDataToJson(all()[1]);
    expect(() => typedDataFromJson({ ...td, primaryType: "Mail" })).toThrow(/unknown primaryType/);
    expect(() => typedDataFromJson({ ...td, primaryType: "toString" })).toThrow(/unknown primaryType/);
    expect(() => typedDataFromJson({ ...td, types: { CareStep: td.types.CareStep!.slice(0, 5) } })).toThrow(
      /types do not match/,
    );
    expect(() => typedDataFromJson({ ...td, domain: { ...td.domain, name: "HospitalScore" } })).toThrow(
      /verified by CareProcess/,
    );
    expect(() => typedDataFromJson({ domain: td.domain })).toThrow(/not a typed-data object/);
    // an EIP712Domain entry in types is tolerated
    const withDomain = {
      ...td,
      types: {
        EIP712Domain: [
          { name: "name", type: "string" },
          { name: "version", type: "string" },
          { name: "chainId", type: "uint256" },
          { name: "verifyingContract", type: "address" },
        ],
        ...td.types,
      },
    };
    expect(typedDataFromJson(withDomain)).toEqual(all()[1]);
  });
});
