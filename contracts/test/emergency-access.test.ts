import { beforeEach, describe, expect, it } from "vitest";
import {
  DAY_MS,
  ZERO_HASH,
  ZeroAddress,
  blockTimeOf,
  breakGlassTx,
  certify,
  chainPerTestFile,
  consentFixtureWithRecord,
  deleteRecord,
  expectEvents,
  expectPolicySetterChecks,
  expectRevert,
  hashOf,
  lc,
  newDeletion,
  newWallet,
  norm,
  now,
  reviewTx,
  sleep,
  tick,
  writeRecordOf,
  type ConsentFixture,
} from "./consent-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();
let fx: ConsentFixture;
let recordId: string;
beforeEach(async () => {
  ({ fx, recordId } = await consentFixtureWithRecord(chain));
  await certify(fx, fx.doctor);
});

const accessOf = async (id: bigint | number): Promise<unknown[]> =>
  norm(Array.from(await fx.emergency.call<unknown[]>("accessOf", [id]))) as unknown[];

describe("EmergencyAccess.breakGlass", () => {
  it("a certified doctor opens a record: EmergencyAccessed, accessOf, counters", async () => {
    expect(lc(await fx.emergency.call<string>("owner"))).toBe(fx.owner);
    expect(norm(Array.from(await fx.emergency.call<unknown[]>("rateLimit")))).toEqual([3n, DAY_MS]);
    const justificationHash = hashOf("unconscious, no id");
    const { receipt } = await breakGlassTx(fx, recordId, { reasonCode: 1, justificationHash });
    expectEvents(fx.emergency, receipt, [
      [
        "EmergencyAccessed",
        recordId,
        fx.doctor.address,
        fx.patient.address,
        fx.hospital.address,
        1,
        justificationHash,
        1n,
      ],
    ]);
    expect(await accessOf(1)).toEqual(
      norm([
        recordId,
        fx.doctor.address,
        fx.patient.address,
        fx.hospital.address,
        1,
        justificationHash,
        await blockTimeOf(fx, receipt),
        0,
        ZeroAddress,
      ]),
    );
    expect(BigInt(await fx.emergency.call<bigint>("accessCount"))).toBe(1n);
    expect(BigInt(await fx.emergency.call<bigint>("recentAccesses", [fx.doctor.address]))).toBe(1n);
    expect(await accessOf(2)).toEqual(
      norm([ZERO_HASH, ZeroAddress, ZeroAddress, ZeroAddress, 0, ZERO_HASH, 0, 0, ZeroAddress]),
    );
  });

  it("a doctor of another hospital opens a record written elsewhere; reasons 2 and 3", async () => {
    await certify(fx, fx.doctor2);
    const { receipt } = await breakGlassTx(fx, recordId, {
      doctor: fx.doctor2,
      reasonCode: 2,
      justificationHash: ZERO_HASH,
    });
    expectEvents(fx.emergency, receipt, [
      [
        "EmergencyAccessed",
        recordId,
        fx.doctor2.address,
        fx.patient.address,
        fx.hospital2.address,
        2,
        ZERO_HASH,
        1n,
      ],
    ]);
    const j = hashOf("other: suspected poisoning");
    const r3 = await breakGlassTx(fx, recordId, { doctor: fx.doctor2, reasonCode: 3, justificationHash: j });
    expectEvents(fx.emergency, r3.receipt, [
      ["EmergencyAccessed", recordId, fx.doctor2.address, fx.patient.address, fx.hospital2.address, 3, j, 2n],
    ]);
  });

  it("reason checks", async () => {
    await expectRevert(
      breakGlassTx(fx, recordId, { reasonCode: 0 }),
      "EmergencyAccessInvalidReasonCode",
      [0],
    );
    await expectRevert(
      breakGlassTx(fx, recordId, { reasonCode: 4 }),
      "EmergencyAccessInvalidReasonCode",
      [4],
    );
    await expectRevert(
      breakGlassTx(fx, recordId, { reasonCode: 3, justificationHash: ZERO_HASH }),
      "EmergencyAccessJustificationRequired",
      [3],
    );
  });

  it("certification is required: none, revoked, expired", async () => {
    await expectRevert(breakGlassTx(fx, recordId, { doctor: fx.doctor2 }), "EmergencyAccessNotCertified", [
      fx.doctor2.address,
    ]);
    await fx.alliance.send("revokeCertification", [fx.doctor.address, hashOf("misconduct")], {
      user: fx.operator,
    });
    await expectRevert(breakGlassTx(fx, recordId), "EmergencyAccessNotCertified", [fx.doctor.address]);
    const expiresAt = now() + 1000n;
    await certify(fx, fx.doctor2, expiresAt);
    await sleep(Number(expiresAt - now()) + 200);
    await expectRevert(breakGlassTx(fx, recordId, { doctor: fx.doctor2 }), "EmergencyAccessNotCertified", [
      fx.doctor2.address,
    ]);
  });

  it("permission matrix: sender must operate the doctor's hospital; the doctor must be active", async () => {
    await expectRevert(
      breakGlassTx(fx, recordId, {}, { user: fx.operator2 }),
      "EmergencyAccessNotHospitalOperator",
      [fx.operator2, fx.hospital.address],
    );
    await expectRevert(
      breakGlassTx(fx, recordId, {}, { user: fx.stranger }),
      "EmergencyAccessNotHospitalOperator",
      [fx.stranger, fx.hospital.address],
    );
    await expectRevert(
      breakGlassTx(fx, recordId, {}, { user: fx.owner }),
      "EmergencyAccessNotHospitalOperator",
      [fx.owner, fx.hospital.address],
    );
    const nobody = newWallet();
    await expectRevert(breakGlassTx(fx, recordId, { doctor: nobody }), "EmergencyAccessDoctorNotActive", [
      nobody.address,
    ]);
    // a patient is not a doctor
    await expectRevert(breakGlassTx(fx, recordId, { doctor: fx.patient }), "EmergencyAccessDoctorNotActive", [
      fx.patient.address,
    ]);
    await expectRevert(
      breakGlassTx(fx, recordId, { doctorAddress: ZeroAddress }),
      "EmergencyAccessZeroAddress",
      [],
    );
  });

  it("record checks: unknown, deleted", async () => {
    await expectRevert(breakGlassTx(fx, hashOf("nope")), "EmergencyAccessRecordNotFound", [hashOf("nope")]);
    await deleteRecord(fx, newDeletion(recordId));
    await expectRevert(breakGlassTx(fx, recordId), "EmergencyAccessRecordDeleted", [recordId]);
  });

  it("signature: the doctor's own, once, before the deadline", async () => {
    const other = newWallet();
    await expectRevert(breakGlassTx(fx, recordId, {}, { signer: other }), "SignatureInvalid", [
      fx.doctor.address,
      other.address,
    ]);
    const { s, reasonCode, justificationHash } = await breakGlassTx(fx, recordId);
    await expectRevert(
      breakGlassTx(fx, recordId, { reasonCode, justificationHash }, { sig: s }),
      "SignatureNonceUsed",
      [fx.doctor.address, s.nonce],
    );
    const deadline = now() - 1n;
    const e = await expectRevert(breakGlassTx(fx, recordId, {}, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
  });

  it("rate limit: at most 3 per 24 h per doctor by default", async () => {
    const first = await breakGlassTx(fx, recordId);
    const t0 = await blockTimeOf(fx, first.receipt);
    await breakGlassTx(fx, recordId);
    await breakGlassTx(fx, await writeRecordOf(fx));
    await expectRevert(breakGlassTx(fx, recordId), "EmergencyAccessRateLimited", [
      fx.doctor.address,
      3n,
      t0 + DAY_MS,
    ]);
    expect(BigInt(await fx.emergency.call<bigint>("recentAccesses", [fx.doctor.address]))).toBe(3n);
    // another doctor is not limited by this one's accesses
    await certify(fx, fx.doctor2);
    await breakGlassTx(fx, recordId, { doctor: fx.doctor2 });
  });

  it("rate limit: owner-set; the window slides", async () => {
    const r = await fx.emergency.send("setRateLimit", [2, 1500], { user: fx.owner });
    expectEvents(fx.emergency, r, [["RateLimitSet", 2n, 1500n]]);
    expect(norm(Array.from(await fx.emergency.call<unknown[]>("rateLimit")))).toEqual([2n, 1500n]);
    const a = await breakGlassTx(fx, recordId);
    const t0 = await blockTimeOf(fx, a.receipt);
    await breakGlassTx(fx, recordId);
    await expectRevert(breakGlassTx(fx, recordId), "EmergencyAccessRateLimited", [
      fx.doctor.address,
      2n,
      t0 + 1500n,
    ]);
    await sleep(Number(t0 + 1500n - now()) + 200);
    await tick(fx);
    expect(BigInt(await fx.emergency.call<bigint>("recentAccesses", [fx.doctor.address]))).toBe(0n);
    await breakGlassTx(fx, recordId);
  });

  it("setRateLimit: owner only, validated", async () => {
    await expectPolicySetterChecks(fx, fx.emergency, "setRateLimit", "EmergencyAccess", [2, 1500]);
  });
});

describe("EmergencyAccess.reviewEmergency", () => {
  it("an admin marks an access justified or abusive, once", async () => {
    await breakGlassTx(fx, recordId);
    await breakGlassTx(fx, recordId);
    const { receipt } = await reviewTx(fx, 1n, 1);
    expectEvents(fx.emergency, receipt, [["EmergencyReviewed", 1n, 1, fx.admin.address]]);
    const a = await accessOf(1);
    expect(a.slice(7)).toEqual(norm([1, fx.admin.address]));
    const r2 = await reviewTx(fx, 2n, 2, { user: fx.owner });
    expectEvents(fx.emergency, r2.receipt, [["EmergencyReviewed", 2n, 2, fx.admin.address]]);
    await expectRevert(reviewTx(fx, 1n, 2), "EmergencyAccessAlreadyReviewed", [1n, 1]);
  });

  it("checks", async () => {
    await breakGlassTx(fx, recordId);
    await expectRevert(reviewTx(fx, 1n, 1, { user: fx.stranger }), "EmergencyAccessNotRelayer", [
      fx.stranger,
    ]);
    await expectRevert(reviewTx(fx, 1n, 0), "EmergencyAccessInvalidOutcome", [0]);
    await expectRevert(reviewTx(fx, 1n, 3), "EmergencyAccessInvalidOutcome", [3]);
    await expectRevert(reviewTx(fx, 99n, 1), "EmergencyAccessNotFound", [99n]);
    const notAdmin = newWallet();
    await expectRevert(reviewTx(fx, 1n, 1, { signer: notAdmin }), "EmergencyAccessNotAdmin", [
      notAdmin.address,
    ]);
    await expectRevert(reviewTx(fx, 1n, 1, { signer: fx.doctor }), "EmergencyAccessNotAdmin", [
      fx.doctor.address,
    ]);
    const deadline = now() - 1n;
    const e = await expectRevert(reviewTx(fx, 1n, 1, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
    // an admin nonce is single-use across accesses
    const { s } = await reviewTx(fx, 1n, 1);
    await breakGlassTx(fx, recordId);
    await expectRevert(reviewTx(fx, 2n, 1, { nonce: s.nonce }), "SignatureNonceUsed", [
      fx.admin.address,
      s.nonce,
    ]);
  });
});
