import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, ZeroHash } from "ethers";
import { recordIdOf } from "@yyl/sdk";
import {
  DECISION,
  activeFixture,
  applyHospital,
  applyPatient,
  decide,
  expectEvents,
  expectRevert,
  hashOf,
  lc,
  newAccount,
  newWallet,
  newRecord,
  norm,
  now,
  registerDoctor,
  signEmr,
  startChain,
  writeArgs,
  writeRecord,
  type Chain,
} from "./fixture.ts";

let chain: Chain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain?.close();
});

describe("EmrRegistry.writeRecord", () => {
  it("stores a dual-signed record and emits RecordWritten (version 1)", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    expect(await fx.emr.call("exists", [r.recordId])).toBe(false);
    const before = now();
    const receipt = await writeRecord(fx, r);
    const after = now();
    expectEvents(fx.emr, receipt, [
      [
        "RecordWritten",
        r.recordId,
        r.patient,
        r.doctor,
        fx.hospital.address,
        r.contentHash,
        r.storagePointer,
        r.createdAt,
        1n,
      ],
    ]);
    // the alliance registry emits nothing for a record
    expect(fx.alliance.decodeLogs(receipt)).toEqual([]);

    expect(await fx.emr.call("exists", [r.recordId])).toBe(true);
    const rec = norm(Array.from(await fx.emr.call<unknown[]>("recordOf", [r.recordId]))) as unknown[];
    expect(rec.slice(0, 7)).toEqual(
      norm([r.patient, r.doctor, fx.hospital.address, r.contentHash, r.storagePointer, r.createdAt, 1n]),
    );
    const writtenAt = rec[7] as bigint;
    // block.timestamp in ms
    expect(writtenAt >= before - 120_000n && writtenAt <= after + 120_000n).toBe(true);

    expect(await fx.emr.call("nonceUsed", [r.patient, r.patientNonce])).toBe(true);
    expect(await fx.emr.call("nonceUsed", [r.doctor, r.doctorNonce])).toBe(true);
    // nonces are per contract: the alliance registry's are untouched
    expect(await fx.alliance.call("nonceUsed", [r.patient, r.patientNonce])).toBe(false);
  });

  it("an unknown record reads as zeros", async () => {
    const fx = await activeFixture(chain);
    const rec = norm(Array.from(await fx.emr.call<unknown[]>("recordOf", [hashOf("nothing")])));
    expect(rec).toEqual(norm([ZeroAddress, ZeroAddress, ZeroAddress, ZeroHash, "", 0n, 0n, 0n]));
  });

  it("patient and doctor may use the same nonce value (nonces are per signer)", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    r.doctorNonce = r.patientNonce;
    expect((await writeRecord(fx, r)).statusOK).toBe(true);
  });

  it("refuses a record id that is not keccak256(createdAt ‖ patient)", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const expected = r.recordId;
    r.recordId = recordIdOf(r.createdAt + 1n, r.patient);
    await expectRevert(writeRecord(fx, r), "EmrRegistryInvalidRecordId", [r.recordId, expected]);
  });

  it("refuses a duplicate record", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const again = {
      ...r,
      patientNonce: r.patientNonce + 1n,
      doctorNonce: r.doctorNonce + 1n,
      contentHash: hashOf("v2"),
    };
    await expectRevert(writeRecord(fx, again), "EmrRegistryRecordExists", [r.recordId]);
    // the exact same transaction is refused as well
    await expectRevert(writeRecord(fx, r), "EmrRegistryRecordExists", [r.recordId]);
  });

  it("must be sent by the operator of the doctor's hospital", async () => {
    const fx = await activeFixture(chain);
    // a second approved hospital with its own operator
    const hospitalB = newWallet();
    const operatorB = await newAccount(chain, "hospital-b-operator");
    await applyHospital(fx, hospitalB, operatorB);
    await decide(fx, hospitalB.address, DECISION.approve);
    const r = newRecord(fx);
    await expectRevert(writeRecord(fx, r, { user: operatorB }), "EmrRegistryNotHospitalOperator", [
      operatorB,
      fx.hospital.address,
    ]);
    await expectRevert(writeRecord(fx, r, { user: fx.owner }), "EmrRegistryNotHospitalOperator", [
      fx.owner,
      fx.hospital.address,
    ]);
    expect((await writeRecord(fx, r)).statusOK).toBe(true);
  });

  it("refuses a patient signature by the wrong key", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const thief = newWallet();
    const patientSig = await signEmr(fx, thief, r, r.patientNonce);
    await expectRevert(writeRecord(fx, r, { patientSig }), "SignatureInvalid", [r.patient, thief.address]);
  });

  it("refuses a doctor signature over a different contentHash", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const doctorSig = await signEmr(fx, fx.doctor, r, r.doctorNonce, {
      contentHash: hashOf("something else"),
    });
    const err = await expectRevert(writeRecord(fx, r, { doctorSig }), "SignatureInvalid");
    expect(lc(err.errorArgs[0] as string)).toBe(lc(r.doctor));
    expect(lc(err.errorArgs[1] as string)).not.toBe(lc(r.doctor));
    expect(err.errorArgs[1]).not.toBe(ZeroAddress);
    // nothing was consumed: the patient's nonce is still free
    expect(await fx.emr.call("nonceUsed", [r.patient, r.patientNonce])).toBe(false);
  });

  it("refuses signatures whose hospital is not the doctor's", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const other = newWallet().address;
    const patientSig = await signEmr(fx, fx.patient, r, r.patientNonce, { hospital: other });
    const err = await expectRevert(writeRecord(fx, r, { patientSig }), "SignatureInvalid");
    expect(lc(err.errorArgs[0] as string)).toBe(lc(r.patient));
  });

  it("refuses a signature made with the doctor's nonce in the patient's place", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const patientSig = await signEmr(fx, fx.patient, r, r.doctorNonce);
    const err = await expectRevert(writeRecord(fx, r, { patientSig }), "SignatureInvalid");
    expect(lc(err.errorArgs[0] as string)).toBe(lc(r.patient));
  });

  it("refuses a replayed authorization (same nonce) for another record", async () => {
    const fx = await activeFixture(chain);
    const r1 = newRecord(fx);
    await writeRecord(fx, r1);
    const r2 = newRecord(fx, { createdAt: r1.createdAt + 5n, patientNonce: r1.patientNonce });
    await expectRevert(writeRecord(fx, r2), "SignatureNonceUsed", [r2.patient, r1.patientNonce]);
    const r3 = newRecord(fx, { createdAt: r1.createdAt + 6n, doctorNonce: r1.doctorNonce });
    await expectRevert(writeRecord(fx, r3), "SignatureNonceUsed", [r3.doctor, r1.doctorNonce]);
  });

  it("refuses an expired authorization", async () => {
    const fx = await activeFixture(chain);
    const deadline = now() - 1n;
    const r = newRecord(fx, { deadline });
    const err = await expectRevert(writeRecord(fx, r), "SignatureExpired");
    expect(err.errorArgs[0]).toBe(deadline);
    expect(err.errorArgs[1] as bigint).toBeGreaterThan(deadline);
  });
});

describe("EmrRegistry membership checks", () => {
  it("refuses a doctor that is not approved", async () => {
    const fx = await activeFixture(chain);
    const doctor = newWallet();
    await registerDoctor(fx, doctor);
    const r = newRecord(fx, { doctor: doctor.address });
    const patientSig = await signEmr(fx, fx.patient, r, r.patientNonce);
    const doctorSig = await signEmr(fx, doctor, r, r.doctorNonce);
    await expectRevert(
      fx.emr.send("writeRecord", writeArgs(r, patientSig, doctorSig)),
      "EmrRegistryDoctorNotActive",
      [doctor.address],
    );
    // a stranger that never registered
    const stranger = newWallet();
    const r2 = newRecord(fx, { doctor: stranger.address });
    await expectRevert(
      fx.emr.send(
        "writeRecord",
        writeArgs(
          r2,
          await signEmr(fx, fx.patient, r2, r2.patientNonce),
          await signEmr(fx, stranger, r2, r2.doctorNonce),
        ),
      ),
      "EmrRegistryDoctorNotActive",
      [stranger.address],
    );
  });

  it("refuses a revoked doctor", async () => {
    const fx = await activeFixture(chain);
    await decide(fx, fx.doctor.address, DECISION.revoke);
    await expectRevert(writeRecord(fx, newRecord(fx)), "EmrRegistryDoctorNotActive", [fx.doctor.address]);
  });

  it("refuses a doctor whose hospital is no longer approved", async () => {
    const fx = await activeFixture(chain);
    await decide(fx, fx.hospital.address, DECISION.revoke);
    await expectRevert(writeRecord(fx, newRecord(fx)), "EmrRegistryDoctorNotActive", [fx.doctor.address]);
  });

  it("refuses a revoked patient", async () => {
    const fx = await activeFixture(chain);
    await decide(fx, fx.patient.address, DECISION.revoke);
    await expectRevert(writeRecord(fx, newRecord(fx)), "EmrRegistryPatientNotActive", [fx.patient.address]);
  });

  it("refuses a patient that is only pending", async () => {
    const fx = await activeFixture(chain);
    const patient = newWallet();
    await applyPatient(fx, patient);
    const r = newRecord(fx, { patient: patient.address });
    const patientSig = await signEmr(fx, patient, r, r.patientNonce);
    await expectRevert(writeRecord(fx, r, { patientSig }), "EmrRegistryPatientNotActive", [patient.address]);
  });
});
