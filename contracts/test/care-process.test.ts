import { describe, expect, it } from "vitest";
import { TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";
import { verifyTypedSignature } from "@yyl/sdk";
import { CareProcess } from "../src/index.ts";
import { careProcessDomain, careStepTypedData, visitOpeningTypedData } from "../../sdk/src/typed/care.ts";
import {
  CHAIN_ID,
  DECISION,
  approvedHospital,
  blockTimeOf,
  chainPerTestFile,
  decide,
  expectEvents,
  expectRevert,
  hashOf,
  newAccount,
  newWallet,
  now,
  registerDoctor,
} from "./fixture.ts";
import {
  careFixture,
  expectDeployRevert,
  expectExpired,
  newVisitId,
  openVisit,
  pastDeadline,
  recordStep,
  recordSteps,
  stepContent,
  stepOf,
  visitOf,
  type CareFixture,
} from "./care-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

/** Runs the steps and checks each receipt's events: StepRecorded, plus VisitFinished on the finishing one. */
async function runPath(
  cf: CareFixture,
  visitId: string,
  steps: readonly (number | [number, boolean])[],
  finishingStep: number | null,
): Promise<void> {
  for (const s of steps) {
    const [step, continues] = typeof s === "number" ? [s, false] : s;
    const { receipt, contentHash } = await recordStep(cf, visitId, step, { continues });
    const expected: unknown[][] = [["StepRecorded", visitId, BigInt(step), cf.doctor.address, contentHash]];
    if (step === finishingStep)
      expected.push(["VisitFinished", visitId, cf.patient.address, cf.hospital.address, BigInt(step)]);
    expectEvents(cf.care, receipt, expected);
    const [, , lastStep, finished] = await visitOf(cf, visitId);
    expect(lastStep).toBe(BigInt(step));
    expect(finished).toBe(step === finishingStep);
  }
}

describe("CareProcess deployment", () => {
  it("uses the EIP-712 domain CareProcess/1/chainId/address and knows the alliance", async () => {
    const cf = await careFixture(chain);
    expect(await cf.care.call("domainSeparator")).toBe(
      TypedDataEncoder.hashDomain(careProcessDomain(CHAIN_ID, cf.care.address)),
    );
    expect((await cf.care.call<string>("allianceRegistry")).toLowerCase()).toBe(cf.alliance.address);
  });

  it("refuses a zero alliance address", async () => {
    const cf = await careFixture(chain);
    await expectDeployRevert(cf, CareProcess, [ZeroAddress, CHAIN_ID], "CareProcessZeroAddress");
  });
});

describe("CareProcess.openVisit", () => {
  it("opens a visit at the sender's hospital and emits VisitOpened", async () => {
    const cf = await careFixture(chain);
    const { visitId, openedAt } = newVisitId(cf.patient.address, cf.hospital.address);
    expect(openedAt > 0n).toBe(true);
    const { receipt, signed } = await openVisit(cf, { visitId });
    expectEvents(cf.care, receipt, [["VisitOpened", visitId, cf.patient.address, cf.hospital.address]]);
    const at = await blockTimeOf(cf, receipt);
    expect(await visitOf(cf, visitId)).toEqual([
      cf.patient.address.toLowerCase(),
      cf.hospital.address.toLowerCase(),
      0n,
      false,
      at,
      0n,
    ]);
    expect(await cf.care.call("nonceUsed", [cf.patient.address, signed.nonce])).toBe(true);
  });

  it("an unknown visit and an unrecorded step read as zeros", async () => {
    const cf = await careFixture(chain);
    expect(await visitOf(cf, hashOf("no visit"))).toEqual([ZeroAddress, ZeroAddress, 0n, false, 0n, 0n]);
    const { visitId } = await openVisit(cf);
    expect(await stepOf(cf, visitId, 1)).toEqual([ZeroAddress, ZeroHash, 0n]);
  });

  it("refuses a sender that operates no approved hospital", async () => {
    const cf = await careFixture(chain);
    await expectRevert(openVisit(cf, { user: cf.owner }), "CareProcessNotHospitalOperator", [
      cf.owner,
      ZeroAddress,
    ]);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(openVisit(cf, { user: stranger }), "CareProcessNotHospitalOperator", [
      stranger,
      ZeroAddress,
    ]);
  });

  it("opens at hospital B when B's operator sends (the hospital comes from the sender)", async () => {
    const cf = await careFixture(chain);
    const b = await approvedHospital(cf);
    const { visitId, receipt } = await openVisit(cf, { user: b.operator, hospital: b.hospital.address });
    expectEvents(cf.care, receipt, [["VisitOpened", visitId, cf.patient.address, b.hospital.address]]);
  });

  it("refuses an unsigned opening, one signed by someone else, and one signed for another hospital", async () => {
    const cf = await careFixture(chain);
    const p = cf.patient.address;
    await expectRevert(openVisit(cf, { sig: "0x" }), "SignatureInvalid", [p, ZeroAddress]);
    const other = newWallet();
    await expectRevert(openVisit(cf, { signer: other }), "SignatureInvalid", [p, other.address]);

    // The patient signed an opening at hospital B; A's operator sends it: the contract's digest has
    // hospital A, so it recovers the signer of that message.
    const b = await approvedHospital(cf);
    const { visitId } = newVisitId(p, b.hospital.address);
    const nonce = 42n;
    const deadline = now() + 600_000n;
    const domain = careProcessDomain(CHAIN_ID, cf.care.address);
    const signedForB = visitOpeningTypedData(domain, {
      visitId,
      patient: p,
      hospital: b.hospital.address,
      nonce,
      deadline,
    });
    const sig = await cf.patient.signTypedData(
      signedForB.domain as never,
      signedForB.types,
      signedForB.message,
    );
    const recovered = verifyTypedSignature(
      visitOpeningTypedData(domain, { visitId, patient: p, hospital: cf.hospital.address, nonce, deadline }),
      sig,
    );
    expect(recovered).not.toBe(p);
    await expectRevert(
      openVisit(cf, { visitId, hospital: b.hospital.address, nonce, deadline }),
      "SignatureInvalid",
      [p, recovered],
    );
    // sent by B's operator it is fine
    await openVisit(cf, { visitId, hospital: b.hospital.address, nonce, deadline, user: b.operator });
  });

  it("refuses a replayed opening with SignatureNonceUsed and an expired one with SignatureExpired", async () => {
    const cf = await careFixture(chain);
    const first = await openVisit(cf);
    // same signature, same visit: the nonce check comes before the duplicate check
    await expectRevert(
      cf.care.send("openVisit", [
        first.visitId,
        cf.patient.address,
        first.signed.nonce,
        first.signed.deadline,
        first.signed.sig,
      ]),
      "SignatureNonceUsed",
      [cf.patient.address, first.signed.nonce],
    );
    // same nonce on a new visit id
    await expectRevert(openVisit(cf, { nonce: first.signed.nonce }), "SignatureNonceUsed", [
      cf.patient.address,
      first.signed.nonce,
    ]);
    const deadline = pastDeadline();
    await expectExpired(cf, openVisit(cf, { deadline }), deadline);
  });

  it("refuses an already-opened visit id (with a fresh signature)", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await expectRevert(openVisit(cf, { visitId }), "CareProcessVisitExists", [visitId]);
  });

  it("refuses a patient who is not an active patient", async () => {
    const cf = await careFixture(chain);
    const stranger = newWallet();
    await expectRevert(openVisit(cf, { patient: stranger }), "CareProcessPatientNotActive", [
      stranger.address,
    ]);
    // a doctor is not a patient either
    await expectRevert(openVisit(cf, { patient: cf.doctor }), "CareProcessPatientNotActive", [
      cf.doctor.address,
    ]);
  });

  it("refuses the operator of a hospital whose membership was revoked", async () => {
    const cf = await careFixture(chain);
    await decide(cf, cf.hospital.address, DECISION.revoke);
    await expectRevert(openVisit(cf), "CareProcessNotHospitalOperator", [cf.operator, ZeroAddress]);
  });
});

describe("CareProcess.recordStep paths", () => {
  it("outpatient 1→2→3→4→5: each step recorded, step 5 finishes the visit", async () => {
    const cf = await careFixture(chain);
    const { visitId, receipt: opened } = await openVisit(cf);
    const openedAt = await blockTimeOf(cf, opened);
    await runPath(cf, visitId, [1, 2, 3, 4, 5], 5);
    const v = await visitOf(cf, visitId);
    expect(v.slice(0, 5)).toEqual([
      cf.patient.address.toLowerCase(),
      cf.hospital.address.toLowerCase(),
      5n,
      true,
      openedAt,
    ]);
    expect((v[5] as bigint) > openedAt).toBe(true);
    for (const s of [1, 2, 3, 4, 5]) {
      const [doctor, contentHash, at] = await stepOf(cf, visitId, s);
      expect([doctor, contentHash]).toEqual([cf.doctor.address.toLowerCase(), stepContent(visitId, s)]);
      expect((at as bigint) > openedAt).toBe(true);
    }
    expect((await stepOf(cf, visitId, 5))[2]).toBe(v[5]);
    expect(await stepOf(cf, visitId, 6)).toEqual([ZeroAddress, ZeroHash, 0n]);
  });

  it("inpatient 1→2→3→5(continues)→6→7: 5 keeps the visit open, 7 finishes it", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await runPath(cf, visitId, [1, 2, 3, [5, true], 6, 7], 7);
    const v = await visitOf(cf, visitId);
    expect(v.slice(2, 4)).toEqual([7n, true]);
    expect(v[5]).toBe((await stepOf(cf, visitId, 7))[2]);
  });

  it("all seven steps 1→2→3→4→5(continues)→6→7", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await runPath(cf, visitId, [1, 2, 3, 4, [5, true], 6, 7], 7);
  });

  it("skips the optional steps: 1→2→3→5 and 1→2→3→5(continues)→7", async () => {
    const cf = await careFixture(chain);
    const a = await openVisit(cf);
    await runPath(cf, a.visitId, [1, 2, 3, 5], 5);
    const b = await openVisit(cf);
    await runPath(cf, b.visitId, [1, 2, 3, [5, true], 7], 7);
    expect(await stepOf(cf, b.visitId, 6)).toEqual([ZeroAddress, ZeroHash, 0n]);
  });

  it("each step may be signed by a different doctor of the same hospital", async () => {
    const cf = await careFixture(chain);
    const second = newWallet();
    await registerDoctor(cf, second);
    await decide(cf, second.address, DECISION.approve);
    const { visitId } = await openVisit(cf);
    await recordSteps(cf, visitId, [1, 2]);
    const { receipt, contentHash } = await recordStep(cf, visitId, 3, { doctor: second });
    expectEvents(cf.care, receipt, [["StepRecorded", visitId, 3n, second.address, contentHash]]);
    expect((await stepOf(cf, visitId, 3))[0]).toBe(second.address.toLowerCase());
  });
});

describe("CareProcess.recordStep refusals", () => {
  it("refuses a first step other than 1", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    for (const s of [2, 3, 4, 5])
      await expectRevert(recordStep(cf, visitId, s), "CareProcessStepOutOfOrder", [visitId, 0n, BigInt(s)]);
  });

  it("refuses out-of-order steps: backwards or skipping a mandatory step", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await recordSteps(cf, visitId, [1]);
    await expectRevert(recordStep(cf, visitId, 3), "CareProcessStepOutOfOrder", [visitId, 1n, 3n]); // 2 skipped
    await recordSteps(cf, visitId, [2, 3]);
    await expectRevert(recordStep(cf, visitId, 2), "CareProcessStepOutOfOrder", [visitId, 3n, 2n]);
    await expectRevert(recordStep(cf, visitId, 6), "CareProcessStepOutOfOrder", [visitId, 3n, 6n]); // 5 skipped
    await expectRevert(recordStep(cf, visitId, 7), "CareProcessStepOutOfOrder", [visitId, 3n, 7n]);
    await recordSteps(cf, visitId, [4, [5, true]]);
    await expectRevert(recordStep(cf, visitId, 4), "CareProcessStepOutOfOrder", [visitId, 5n, 4n]);
    await recordSteps(cf, visitId, [6]);
    await expectRevert(recordStep(cf, visitId, 5), "CareProcessStepOutOfOrder", [visitId, 6n, 5n]);
    expect((await visitOf(cf, visitId)).slice(2, 4)).toEqual([6n, false]);
  });

  it("refuses a repeated step", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await recordSteps(cf, visitId, [1]);
    await expectRevert(recordStep(cf, visitId, 1), "CareProcessStepOutOfOrder", [visitId, 1n, 1n]);
    await recordSteps(cf, visitId, [2, 3, [5, true]]);
    await expectRevert(recordStep(cf, visitId, 5, { continues: true }), "CareProcessStepOutOfOrder", [
      visitId,
      5n,
      5n,
    ]);
  });

  it("refuses any step after the visit finished (at 5 or at 7)", async () => {
    const cf = await careFixture(chain);
    const out = await openVisit(cf);
    await recordSteps(cf, out.visitId, [1, 2, 3, 5]);
    for (const s of [6, 7, 5, 1])
      await expectRevert(recordStep(cf, out.visitId, s), "CareProcessVisitFinished", [out.visitId]);
    const inp = await openVisit(cf);
    await recordSteps(cf, inp.visitId, [1, 2, 3, [5, true], 6, 7]);
    await expectRevert(recordStep(cf, inp.visitId, 7), "CareProcessVisitFinished", [inp.visitId]);
  });

  it("refuses step codes outside 1..7 and `continues` on a step other than 5", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    await expectRevert(recordStep(cf, visitId, 0), "CareProcessInvalidStep", [0n]);
    await expectRevert(recordStep(cf, visitId, 8), "CareProcessInvalidStep", [8n]);
    await expectRevert(recordStep(cf, visitId, 1, { continues: true }), "CareProcessContinuesNotAllowed", [
      1n,
    ]);
    await recordSteps(cf, visitId, [1, 2, 3, [5, true], 6]);
    await expectRevert(recordStep(cf, visitId, 7, { continues: true }), "CareProcessContinuesNotAllowed", [
      7n,
    ]);
  });

  it("refuses an unknown visit", async () => {
    const cf = await careFixture(chain);
    const visitId = hashOf("never opened");
    await expectRevert(recordStep(cf, visitId, 1), "CareProcessUnknownVisit", [visitId]);
  });

  it("refuses a sender that is not the visit hospital's operator", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    const h = cf.hospital.address;
    await expectRevert(recordStep(cf, visitId, 1, { user: cf.owner }), "CareProcessNotHospitalOperator", [
      cf.owner,
      h,
    ]);
    const b = await approvedHospital(cf, { withDoctor: true });
    await expectRevert(recordStep(cf, visitId, 1, { user: b.operator }), "CareProcessNotHospitalOperator", [
      b.operator,
      h,
    ]);
    // B's operator with B's doctor: still not B's visit
    await expectRevert(
      recordStep(cf, visitId, 1, { user: b.operator, doctor: b.doctor }),
      "CareProcessNotHospitalOperator",
      [b.operator, h],
    );
  });

  it("refuses a doctor of another hospital and a doctor who is not active", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    const h = cf.hospital.address;
    const b = await approvedHospital(cf, { withDoctor: true });
    await expectRevert(recordStep(cf, visitId, 1, { doctor: b.doctor }), "CareProcessDoctorNotOfHospital", [
      b.doctor.address,
      h,
    ]);
    // registered at this hospital but still pending
    const pending = newWallet();
    await registerDoctor(cf, pending);
    await expectRevert(recordStep(cf, visitId, 1, { doctor: pending }), "CareProcessDoctorNotOfHospital", [
      pending.address,
      h,
    ]);
    // not a member at all, and the patient
    const stranger = newWallet();
    await expectRevert(recordStep(cf, visitId, 1, { doctor: stranger }), "CareProcessDoctorNotOfHospital", [
      stranger.address,
      h,
    ]);
    await expectRevert(recordStep(cf, visitId, 1, { doctor: cf.patient }), "CareProcessDoctorNotOfHospital", [
      cf.patient.address,
      h,
    ]);
    // revoked doctor
    await decide(cf, cf.doctor.address, DECISION.revoke);
    await expectRevert(recordStep(cf, visitId, 1), "CareProcessDoctorNotOfHospital", [cf.doctor.address, h]);
  });

  it("refuses an unsigned step, one signed by another key, and one whose signed fields differ", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    const d = cf.doctor.address;
    await expectRevert(recordStep(cf, visitId, 1, { sig: "0x" }), "SignatureInvalid", [d, ZeroAddress]);
    const other = newWallet();
    await expectRevert(recordStep(cf, visitId, 1, { signer: other }), "SignatureInvalid", [d, other.address]);
    // the patient cannot sign a step for the doctor
    await expectRevert(recordStep(cf, visitId, 1, { signer: cf.patient }), "SignatureInvalid", [
      d,
      cf.patient.address,
    ]);

    // signed for step 2, sent as step 1: recovers to some other address (what the contract computed)
    const r = recordStep(cf, visitId, 1, { signed: { step: 2 } });
    const err = await expectRevert(r, "SignatureInvalid");
    const [expected, recovered] = Array.from(err.errorArgs) as string[];
    expect(expected).toBe(d);
    expect(recovered).not.toBe(d);
    // signed with continues=false, sent with continues=true on step 5 (after 1..3)
    await recordSteps(cf, visitId, [1, 2, 3]);
    const e2 = await expectRevert(
      recordStep(cf, visitId, 5, { continues: true, signed: { continues: false } }),
      "SignatureInvalid",
    );
    expect(e2.errorArgs[0]).toBe(d);
    expect(e2.errorArgs[1]).not.toBe(d);
    // nothing was recorded by the refusals
    expect((await visitOf(cf, visitId))[2]).toBe(3n);
  });

  it("the recovered address in SignatureInvalid is the signer of the contract's digest", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    const contentHash = stepContent(visitId, 1);
    const { signed } = await recordStep(cf, visitId, 1); // a valid one to get a signature shape
    const domain = careProcessDomain(CHAIN_ID, cf.care.address);
    // sign step 2's message, send it as step 1 with that nonce/deadline
    const td2 = careStepTypedData(domain, {
      visitId,
      step: 2,
      contentHash,
      continues: false,
      nonce: signed.nonce + 1n,
      deadline: signed.deadline,
    });
    const sig = await cf.doctor.signTypedData(td2.domain as never, td2.types, td2.message);
    const asSent = careStepTypedData(domain, {
      visitId,
      step: 2,
      contentHash: hashOf("other content"),
      continues: false,
      nonce: signed.nonce + 1n,
      deadline: signed.deadline,
    });
    const recovered = verifyTypedSignature(asSent, sig);
    await expectRevert(
      cf.care.send("recordStep", [
        visitId,
        2,
        cf.doctor.address,
        hashOf("other content"),
        false,
        signed.nonce + 1n,
        signed.deadline,
        sig,
      ]),
      "SignatureInvalid",
      [cf.doctor.address, recovered],
    );
    // and the same for an opening signed for another visit id
    const other = newVisitId(cf.patient.address, cf.hospital.address).visitId;
    const openTd = visitOpeningTypedData(domain, {
      visitId: other,
      patient: cf.patient.address,
      hospital: cf.hospital.address,
      nonce: 7n,
      deadline: signed.deadline,
    });
    const openSig = await cf.patient.signTypedData(openTd.domain as never, openTd.types, openTd.message);
    const sentId = newVisitId(cf.patient.address, cf.hospital.address).visitId;
    const openRecovered = verifyTypedSignature(
      visitOpeningTypedData(domain, { ...openTd.message, visitId: sentId }),
      openSig,
    );
    await expectRevert(
      cf.care.send("openVisit", [sentId, cf.patient.address, 7n, signed.deadline, openSig]),
      "SignatureInvalid",
      [cf.patient.address, openRecovered],
    );
  });

  it("refuses a replayed step with SignatureNonceUsed and an expired one with SignatureExpired", async () => {
    const cf = await careFixture(chain);
    const { visitId } = await openVisit(cf);
    const first = await recordStep(cf, visitId, 1);
    // the very same transaction again: nonce check precedes the order check
    await expectRevert(cf.care.send("recordStep", first.args), "SignatureNonceUsed", [
      cf.doctor.address,
      first.signed.nonce,
    ]);
    // the nonce reused for the next step
    await expectRevert(recordStep(cf, visitId, 2, { nonce: first.signed.nonce }), "SignatureNonceUsed", [
      cf.doctor.address,
      first.signed.nonce,
    ]);
    const deadline = pastDeadline();
    await expectExpired(cf, recordStep(cf, visitId, 2, { deadline }), deadline);
    // a replay after the visit finished still reports the nonce
    await recordSteps(cf, visitId, [2, 3, 5]);
    await expectRevert(cf.care.send("recordStep", first.args), "SignatureNonceUsed", [
      cf.doctor.address,
      first.signed.nonce,
    ]);
    expect(now() > deadline).toBe(true);
  });
});
