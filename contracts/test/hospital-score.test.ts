import { describe, expect, it } from "vitest";
import { TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";
import { HospitalScore } from "../src/index.ts";
import { INITIAL_SCORE, SCORE_REASON, clampScore, hospitalScoreDomain } from "../../sdk/src/typed/care.ts";
import {
  CHAIN_ID,
  approvedHospital,
  blockTimeOf,
  chainPerTestFile,
  expectEvents,
  expectRevert,
  hashOf,
  newAccount,
  newWallet,
  norm,
  setHospitalLevel,
} from "./fixture.ts";
import {
  adjust,
  careFixture,
  expectDeployRevert,
  expectExpired,
  finishedVisit,
  giveFeedback,
  openVisit,
  otherPatient,
  pastDeadline,
  recordSteps,
  scoreOf,
  type CareFixture,
} from "./care-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

const R = SCORE_REASON;

/** careFixture with fx.hospital at `level` and its score initialized. */
async function initialized(level = 3): Promise<CareFixture> {
  const cf = await careFixture(chain);
  await setHospitalLevel(cf, cf.hospital.address, level);
  await cf.score.send("initialize", [cf.hospital.address]);
  return cf;
}

describe("HospitalScore deployment", () => {
  it("uses the EIP-712 domain HospitalScore/1/chainId/address and knows its contracts", async () => {
    const cf = await careFixture(chain);
    expect(await cf.score.call("domainSeparator")).toBe(
      TypedDataEncoder.hashDomain(hospitalScoreDomain(CHAIN_ID, cf.score.address)),
    );
    expect((await cf.score.call<string>("allianceRegistry")).toLowerCase()).toBe(cf.alliance.address);
    expect((await cf.score.call<string>("careProcess")).toLowerCase()).toBe(cf.care.address);
    expect(await scoreOf(cf)).toEqual([0n, 0n, 0n, 0n, false]);
  });

  it("refuses a zero alliance or care-process address", async () => {
    const cf = await careFixture(chain);
    const args = [
      [ZeroAddress, cf.care.address, CHAIN_ID],
      [cf.alliance.address, ZeroAddress, CHAIN_ID],
    ];
    for (const a of args) await expectDeployRevert(cf, HospitalScore, a, "HospitalScoreZeroAddress");
  });
});

describe("HospitalScore.initialize", () => {
  it("starts from the level: 一级 → 600, 二级 → 700, 三级 → 800", async () => {
    const cf = await careFixture(chain);
    const b = await approvedHospital(cf);
    const c = await approvedHospital(cf);
    const hospitals = [
      { h: c.hospital.address, level: 1, expected: 600n, user: c.operator },
      { h: b.hospital.address, level: 2, expected: 700n, user: b.operator },
      { h: cf.hospital.address, level: 3, expected: 800n, user: cf.owner },
    ];
    for (const { h, level, expected, user } of hospitals) {
      await setHospitalLevel(cf, h, level);
      expect(BigInt(INITIAL_SCORE[level as 1 | 2 | 3])).toBe(expected);
      // any relayer: the owner or an approved hospital's operator
      const receipt = await cf.score.send("initialize", [h], { user });
      expectEvents(cf.score, receipt, [["ScoreInitialized", h, BigInt(level), expected]]);
      expect(await scoreOf(cf, h)).toEqual([expected, BigInt(level), 0n, 0n, true]);
    }
  });

  it("refuses a sender that is not a relayer", async () => {
    const cf = await careFixture(chain);
    await setHospitalLevel(cf, cf.hospital.address, 2);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(
      cf.score.send("initialize", [cf.hospital.address], { user: stranger }),
      "HospitalScoreNotRelayer",
      [stranger],
    );
  });

  it("refuses a hospital without a level", async () => {
    const cf = await careFixture(chain);
    await expectRevert(cf.score.send("initialize", [cf.hospital.address]), "HospitalScoreLevelNotSet", [
      cf.hospital.address,
      0n,
    ]);
    const nobody = newWallet().address;
    await expectRevert(cf.score.send("initialize", [nobody]), "HospitalScoreLevelNotSet", [nobody, 0n]);
  });

  it("runs once per hospital", async () => {
    const cf = await initialized(2);
    await expectRevert(
      cf.score.send("initialize", [cf.hospital.address]),
      "HospitalScoreAlreadyInitialized",
      [cf.hospital.address],
    );
    // a changed level does not re-initialize
    await setHospitalLevel(cf, cf.hospital.address, 3);
    await expectRevert(
      cf.score.send("initialize", [cf.hospital.address]),
      "HospitalScoreAlreadyInitialized",
      [cf.hospital.address],
    );
    expect(await scoreOf(cf)).toEqual([700n, 2n, 0n, 0n, true]);
  });
});

describe("HospitalScore.adjust", () => {
  it("applies each reason with its sign rule and emits ScoreAdjusted", async () => {
    const cf = await initialized(3);
    const h = cf.hospital.address;
    const steps: [number, bigint, bigint][] = [
      [R.misdiagnosis, -50n, 750n],
      [R.rescue, 30n, 780n],
      [R.preVisitService, 10n, 790n],
      [R.preVisitService, -20n, 770n],
      [R.postVisitService, 5n, 775n],
      [R.postVisitService, -15n, 760n],
    ];
    for (const [reason, delta, expected] of steps) {
      const { receipt, evidenceHash } = await adjust(cf, reason, delta);
      expectEvents(cf.score, receipt, [
        ["ScoreAdjusted", h, BigInt(reason), delta, expected, evidenceHash, cf.admin.address],
      ]);
      expect((await scoreOf(cf))[0]).toBe(expected);
    }
    expect(await scoreOf(cf)).toEqual([760n, 3n, 0n, 0n, true]);
  });

  it("refuses a delta of the wrong sign or zero", async () => {
    const cf = await initialized(3);
    await expectRevert(adjust(cf, R.misdiagnosis, 10n), "HospitalScoreInvalidDelta", [1n, 10n]);
    await expectRevert(adjust(cf, R.rescue, -10n), "HospitalScoreInvalidDelta", [2n, -10n]);
    for (const r of [1, 2, 3, 4])
      await expectRevert(adjust(cf, r, 0n), "HospitalScoreInvalidDelta", [BigInt(r), 0n]);
  });

  it("accepts |delta| = 100 and refuses |delta| > 100", async () => {
    const cf = await initialized(2);
    await expectRevert(adjust(cf, R.misdiagnosis, -101n), "HospitalScoreDeltaOutOfRange", [-101n]);
    await expectRevert(adjust(cf, R.rescue, 101n), "HospitalScoreDeltaOutOfRange", [101n]);
    await expectRevert(adjust(cf, R.postVisitService, 1000n), "HospitalScoreDeltaOutOfRange", [1000n]);
    await expectRevert(adjust(cf, R.preVisitService, -(2n ** 255n)), "HospitalScoreDeltaOutOfRange", [
      -(2n ** 255n),
    ]);
    const down = await adjust(cf, R.misdiagnosis, -100n);
    expectEvents(cf.score, down.receipt, [
      ["ScoreAdjusted", cf.hospital.address, 1n, -100n, 600n, down.evidenceHash, cf.admin.address],
    ]);
    const up = await adjust(cf, R.rescue, 100n);
    expectEvents(cf.score, up.receipt, [
      ["ScoreAdjusted", cf.hospital.address, 2n, 100n, 700n, up.evidenceHash, cf.admin.address],
    ]);
  });

  it("refuses reason codes outside 1..4", async () => {
    const cf = await initialized(2);
    await expectRevert(adjust(cf, 0, -1n), "HospitalScoreInvalidReason", [0n]);
    await expectRevert(adjust(cf, 5, 1n), "HospitalScoreInvalidReason", [5n]);
  });

  it("clamps at 1000 and at 0 (the event carries the requested delta and the clamped score)", async () => {
    const cf = await initialized(3);
    const h = cf.hospital.address;
    await adjust(cf, R.rescue, 100n); // 900
    await adjust(cf, R.rescue, 90n); // 990
    const top = await adjust(cf, R.rescue, 100n);
    expectEvents(cf.score, top.receipt, [
      ["ScoreAdjusted", h, 2n, 100n, 1000n, top.evidenceHash, cf.admin.address],
    ]);
    const again = await adjust(cf, R.postVisitService, 1n);
    expectEvents(cf.score, again.receipt, [
      ["ScoreAdjusted", h, 4n, 1n, 1000n, again.evidenceHash, cf.admin.address],
    ]);
    expect((await scoreOf(cf))[0]).toBe(1000n);

    const low = await initialized(1); // 600
    const lh = low.hospital.address;
    let expected = 600n;
    for (let i = 0; i < 6; i++) {
      expected = clampScore(expected, -100n);
      await adjust(low, R.misdiagnosis, -100n);
    }
    expect(expected).toBe(0n);
    expect((await scoreOf(low))[0]).toBe(0n);
    const floor = await adjust(low, R.misdiagnosis, -30n);
    expectEvents(low.score, floor.receipt, [
      ["ScoreAdjusted", lh, 1n, -30n, 0n, floor.evidenceHash, low.admin.address],
    ]);
    // and up again from the floor
    const back = await adjust(low, R.preVisitService, 7n);
    expectEvents(low.score, back.receipt, [
      ["ScoreAdjusted", lh, 3n, 7n, 7n, back.evidenceHash, low.admin.address],
    ]);
  });

  it("requires evidence", async () => {
    const cf = await initialized(3);
    await expectRevert(
      adjust(cf, R.misdiagnosis, -5n, { evidenceHash: ZeroHash }),
      "HospitalScoreEvidenceRequired",
      [],
    );
  });

  it("refuses a signer who is not an alliance admin, and an unsigned adjustment", async () => {
    const cf = await initialized(3);
    const other = newWallet();
    await expectRevert(adjust(cf, R.rescue, 5n, { signer: other }), "HospitalScoreNotAdmin", [other.address]);
    await expectRevert(adjust(cf, R.rescue, 5n, { signer: cf.patient }), "HospitalScoreNotAdmin", [
      cf.patient.address,
    ]);
    await expectRevert(adjust(cf, R.rescue, 5n, { sig: "0x" }), "SignatureInvalid", [
      ZeroAddress,
      ZeroAddress,
    ]);
    // an admin's signature over other fields recovers to a non-admin
    const signed = await adjust(cf, R.rescue, 5n);
    const err = await expectRevert(
      cf.score.send("adjust", [
        cf.hospital.address,
        R.rescue,
        6n,
        signed.evidenceHash,
        signed.signed.nonce + 1n,
        signed.signed.deadline,
        signed.signed.sig,
      ]),
      "HospitalScoreNotAdmin",
    );
    expect(err.errorArgs[0]).not.toBe(cf.admin.address);
  });

  it("refuses a sender that is not a relayer; an operator may relay", async () => {
    const cf = await initialized(3);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(adjust(cf, R.rescue, 5n, { user: stranger }), "HospitalScoreNotRelayer", [stranger]);
    const ok = await adjust(cf, R.rescue, 5n, { user: cf.operator });
    expectEvents(cf.score, ok.receipt, [
      ["ScoreAdjusted", cf.hospital.address, 2n, 5n, 805n, ok.evidenceHash, cf.admin.address],
    ]);
  });

  it("refuses a hospital whose score is not initialized", async () => {
    const cf = await careFixture(chain);
    await expectRevert(adjust(cf, R.rescue, 5n), "HospitalScoreNotInitialized", [cf.hospital.address]);
  });

  it("refuses a replayed adjustment (SignatureNonceUsed) and an expired one (SignatureExpired)", async () => {
    const cf = await initialized(3);
    const first = await adjust(cf, R.misdiagnosis, -10n);
    await expectRevert(
      cf.score.send("adjust", [
        first.hospital,
        R.misdiagnosis,
        -10n,
        first.evidenceHash,
        first.signed.nonce,
        first.signed.deadline,
        first.signed.sig,
      ]),
      "SignatureNonceUsed",
      [cf.admin.address, first.signed.nonce],
    );
    await expectRevert(adjust(cf, R.rescue, 3n, { nonce: first.signed.nonce }), "SignatureNonceUsed", [
      cf.admin.address,
      first.signed.nonce,
    ]);
    const deadline = pastDeadline();
    await expectExpired(cf, adjust(cf, R.rescue, 3n, { deadline }), deadline);
    expect((await scoreOf(cf))[0]).toBe(790n);
  });
});

describe("HospitalScore.feedback", () => {
  it("moves the visit hospital's score by rating − 3 and emits FeedbackGiven", async () => {
    const cf = await initialized(2);
    const h = cf.hospital.address;
    let expected = 700n;
    let sum = 0n;
    for (const rating of [1, 2, 3, 4, 5]) {
      const visitId = await finishedVisit(cf);
      const { receipt, commentHash } = await giveFeedback(cf, visitId, rating);
      expected += BigInt(rating - 3);
      sum += BigInt(rating);
      expectEvents(cf.score, receipt, [
        ["FeedbackGiven", visitId, h, cf.patient.address, BigInt(rating), expected],
      ]);
      const at = await blockTimeOf(cf, receipt);
      expect(norm(Array.from(await cf.score.call<unknown[]>("feedbackOf", [visitId])))).toEqual([
        BigInt(rating),
        commentHash,
        at,
      ]);
    }
    expect(expected).toBe(700n);
    expect(await scoreOf(cf)).toEqual([700n, 2n, 5n, sum, true]);
    expect(norm(Array.from(await cf.score.call<unknown[]>("feedbackOf", [hashOf("none")])))).toEqual([
      0n,
      ZeroHash,
      0n,
    ]);
  });

  it("accepts feedback on an inpatient visit finished at discharge, with a zero comment hash", async () => {
    const cf = await initialized(1);
    const { visitId } = await openVisit(cf);
    await recordSteps(cf, visitId, [1, 2, 3, [5, true], 6]);
    await expectRevert(giveFeedback(cf, visitId, 4), "HospitalScoreVisitNotFinished", [visitId]);
    await recordSteps(cf, visitId, [7]);
    const { receipt } = await giveFeedback(cf, visitId, 4, { commentHash: ZeroHash });
    expectEvents(cf.score, receipt, [
      ["FeedbackGiven", visitId, cf.hospital.address, cf.patient.address, 4n, 601n],
    ]);
  });

  it("only the visit's patient can sign it", async () => {
    const cf = await initialized(3);
    const visitId = await finishedVisit(cf);
    const p = cf.patient.address;
    const another = await otherPatient(cf);
    await expectRevert(giveFeedback(cf, visitId, 5, { signer: another }), "SignatureInvalid", [
      p,
      another.address,
    ]);
    await expectRevert(giveFeedback(cf, visitId, 1, { signer: cf.doctor }), "SignatureInvalid", [
      p,
      cf.doctor.address,
    ]);
    await expectRevert(giveFeedback(cf, visitId, 1, { signer: cf.admin }), "SignatureInvalid", [
      p,
      cf.admin.address,
    ]);
    await expectRevert(giveFeedback(cf, visitId, 1, { sig: "0x" }), "SignatureInvalid", [p, ZeroAddress]);
    // the other patient's own visit is theirs to rate
    const theirs = await finishedVisit(cf, another);
    const { receipt } = await giveFeedback(cf, theirs, 5, { signer: another });
    expectEvents(cf.score, receipt, [
      ["FeedbackGiven", theirs, cf.hospital.address, another.address, 5n, 802n],
    ]);
  });

  it("only after the visit finished", async () => {
    const cf = await initialized(3);
    const { visitId } = await openVisit(cf);
    await expectRevert(giveFeedback(cf, visitId, 5), "HospitalScoreVisitNotFinished", [visitId]);
    await recordSteps(cf, visitId, [1, 2, 3, 4]);
    await expectRevert(giveFeedback(cf, visitId, 5), "HospitalScoreVisitNotFinished", [visitId]);
    await recordSteps(cf, visitId, [5]);
    await giveFeedback(cf, visitId, 5);
  });

  it("once per visit", async () => {
    const cf = await initialized(3);
    const visitId = await finishedVisit(cf);
    await giveFeedback(cf, visitId, 4);
    await expectRevert(giveFeedback(cf, visitId, 2), "HospitalScoreFeedbackExists", [visitId]);
    expect(await scoreOf(cf)).toEqual([801n, 3n, 1n, 4n, true]);
  });

  it("refuses a rating outside 1..5", async () => {
    const cf = await initialized(3);
    const visitId = await finishedVisit(cf);
    for (const r of [0, 6, 255])
      await expectRevert(giveFeedback(cf, visitId, r), "HospitalScoreInvalidRating", [BigInt(r)]);
  });

  it("refuses an unknown visit", async () => {
    const cf = await initialized(3);
    const visitId = hashOf("never opened");
    await expectRevert(giveFeedback(cf, visitId, 3), "HospitalScoreUnknownVisit", [visitId]);
  });

  it("refuses a visit whose hospital's score is not initialized", async () => {
    const cf = await careFixture(chain);
    const visitId = await finishedVisit(cf);
    await expectRevert(giveFeedback(cf, visitId, 3), "HospitalScoreNotInitialized", [cf.hospital.address]);
  });

  it("refuses a sender that is not a relayer; an operator may relay", async () => {
    const cf = await initialized(3);
    const visitId = await finishedVisit(cf);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(giveFeedback(cf, visitId, 3, { user: stranger }), "HospitalScoreNotRelayer", [
      stranger,
    ]);
    const { receipt } = await giveFeedback(cf, visitId, 3, { user: cf.operator });
    expectEvents(cf.score, receipt, [
      ["FeedbackGiven", visitId, cf.hospital.address, cf.patient.address, 3n, 800n],
    ]);
  });

  it("refuses a replayed feedback (SignatureNonceUsed) and an expired one (SignatureExpired)", async () => {
    const cf = await initialized(3);
    const visitId = await finishedVisit(cf);
    const deadline = pastDeadline();
    await expectExpired(cf, giveFeedback(cf, visitId, 5, { deadline }), deadline);
    const first = await giveFeedback(cf, visitId, 5);
    await expectRevert(
      cf.score.send("feedback", [
        visitId,
        5,
        first.commentHash,
        first.signed.nonce,
        first.signed.deadline,
        first.signed.sig,
      ]),
      "SignatureNonceUsed",
      [cf.patient.address, first.signed.nonce],
    );
    const next = await finishedVisit(cf);
    await expectRevert(giveFeedback(cf, next, 4, { nonce: first.signed.nonce }), "SignatureNonceUsed", [
      cf.patient.address,
      first.signed.nonce,
    ]);
  });

  it("clamps feedback at 1000 and at 0", async () => {
    const cf = await initialized(3);
    await adjust(cf, R.rescue, 100n);
    await adjust(cf, R.rescue, 100n); // 1000
    const v1 = await finishedVisit(cf);
    const { receipt } = await giveFeedback(cf, v1, 5);
    expectEvents(cf.score, receipt, [
      ["FeedbackGiven", v1, cf.hospital.address, cf.patient.address, 5n, 1000n],
    ]);

    const low = await initialized(1);
    for (let i = 0; i < 6; i++) await adjust(low, R.misdiagnosis, -100n); // 0
    const v2 = await finishedVisit(low);
    const r2 = await giveFeedback(low, v2, 1);
    expectEvents(low.score, r2.receipt, [
      ["FeedbackGiven", v2, low.hospital.address, low.patient.address, 1n, 0n],
    ]);
    expect(await scoreOf(low)).toEqual([0n, 1n, 1n, 1n, true]);
  });
});

describe("HospitalScore worked example", () => {
  it("三级 hospital: 800 − 50 + 30 + (5 − 3) + (1 − 3) = 780", async () => {
    const cf = await careFixture(chain);
    const h = cf.hospital.address;
    await setHospitalLevel(cf, h, 3);
    expectEvents(cf.score, await cf.score.send("initialize", [h]), [["ScoreInitialized", h, 3n, 800n]]);

    const mis = await adjust(cf, R.misdiagnosis, -50n);
    expectEvents(cf.score, mis.receipt, [
      ["ScoreAdjusted", h, 1n, -50n, 750n, mis.evidenceHash, cf.admin.address],
    ]);
    const rescue = await adjust(cf, R.rescue, 30n);
    expectEvents(cf.score, rescue.receipt, [
      ["ScoreAdjusted", h, 2n, 30n, 780n, rescue.evidenceHash, cf.admin.address],
    ]);

    const v1 = await finishedVisit(cf);
    const f1 = await giveFeedback(cf, v1, 5);
    expectEvents(cf.score, f1.receipt, [["FeedbackGiven", v1, h, cf.patient.address, 5n, 782n]]);
    const v2 = await finishedVisit(cf);
    const f2 = await giveFeedback(cf, v2, 1);
    expectEvents(cf.score, f2.receipt, [["FeedbackGiven", v2, h, cf.patient.address, 1n, 780n]]);

    expect(await scoreOf(cf)).toEqual([780n, 3n, 2n, 6n, true]);
  });
});
