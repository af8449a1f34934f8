import { describe, expect, it } from "vitest";
import { ZeroAddress, ZeroHash } from "ethers";
import { StandardMerkleTree, SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import {
  fieldHashesOf,
  fieldLeavesOf,
  fieldProofOf,
  fieldsRootOf,
  makeEmrBundle,
  recordIdOf,
  verifyFieldProof,
  type FieldValue,
} from "@yyl/sdk";
import {
  DECISION,
  DELEGATION_SCOPE,
  activeFixture,
  chainPerTestFile,
  delegateTo,
  deleteRecord,
  deployDelegation,
  newDeletion,
  newUpdate,
  recordView,
  signDeletion,
  signUpdate,
  updateArgs,
  updateRecord,
  versionView,
  applyHospital,
  applyPatient,
  decide,
  eventsOf,
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
  writeArgs,
  writeRecord,
  type Fixture,
} from "./fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

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
        r.fieldsRoot,
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

const ZERO32 = ZeroHash;

/** A second approved doctor of the fixture's hospital. */
async function secondDoctor(fx: Fixture) {
  const doctor = newWallet();
  await registerDoctor(fx, doctor);
  await decide(fx, doctor.address, DECISION.approve);
  return doctor;
}

/** An approved hospital B with its operator and an approved doctor. */
async function hospitalB(fx: Fixture) {
  const hospital = newWallet();
  const operator = await newAccount(chain, "hospital-b-operator");
  await applyHospital(fx, hospital, operator);
  await decide(fx, hospital.address, DECISION.approve);
  const doctor = newWallet();
  await registerDoctor(fx, doctor, hospital.address, { user: operator });
  await decide(fx, doctor.address, DECISION.approve);
  return { hospital, operator, doctor };
}

describe("EmrRegistry record views", () => {
  it("version 1 carries the fieldsRoot; patientOf, hospitalOf, isDeleted", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const rec = await recordView(fx, r.recordId);
    const v1 = await versionView(fx, r.recordId, 1n);
    expect(v1).toEqual(norm([r.doctor, r.contentHash, r.fieldsRoot, r.storagePointer, ZERO32, rec[7]]));
    expect(lc(await fx.emr.call<string>("patientOf", [r.recordId]))).toBe(lc(r.patient));
    expect(lc(await fx.emr.call<string>("hospitalOf", [r.recordId]))).toBe(lc(fx.hospital.address));
    expect(await fx.emr.call("isDeleted", [r.recordId])).toBe(false);
    // unknown ids and versions read as zeros
    const unknown = hashOf("nothing");
    expect(await versionView(fx, unknown, 1n)).toEqual(norm([ZeroAddress, ZERO32, ZERO32, "", ZERO32, 0n]));
    expect(await versionView(fx, r.recordId, 2n)).toEqual(
      norm([ZeroAddress, ZERO32, ZERO32, "", ZERO32, 0n]),
    );
    expect(await versionView(fx, r.recordId, 0n)).toEqual(
      norm([ZeroAddress, ZERO32, ZERO32, "", ZERO32, 0n]),
    );
    expect(lc(await fx.emr.call<string>("patientOf", [unknown]))).toBe(lc(ZeroAddress));
    expect(lc(await fx.emr.call<string>("hospitalOf", [unknown]))).toBe(lc(ZeroAddress));
    expect(await fx.emr.call("isDeleted", [unknown])).toBe(false);
  });

  it("a FHIR bundle's fieldsRoot goes on chain and single fields verify against it", async () => {
    const fx = await activeFixture(chain);
    const createdAt = now();
    const bundle = makeEmrBundle({
      patient: { address: fx.patient.address },
      doctor: { address: fx.doctor.address },
      hospital: { address: fx.hospital.address },
      title: "门诊病历",
      chiefComplaint: "咳嗽三天",
      diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code: "J06.9", display: "急性上呼吸道感染" },
      createdAt,
    });
    const r = newRecord(fx, { createdAt, fieldsRoot: fieldsRootOf(bundle) });
    await writeRecord(fx, r);
    const onChainRoot = (await versionView(fx, r.recordId, 1n))[2] as string;
    expect(onChainRoot).toBe(fieldsRootOf(bundle));
    const p = fieldProofOf(bundle, "/entry/5/resource/code/coding/0/code");
    expect(verifyFieldProof(onChainRoot, p.path, p.value, p.proof)).toBe(true);
    expect(verifyFieldProof(onChainRoot, p.path, "J18.9", p.proof)).toBe(false);
  });

  it("refuses signatures over another fieldsRoot", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    const patientSig = await signEmr(fx, fx.patient, r, r.patientNonce, { fieldsRoot: hashOf("other") });
    const err = await expectRevert(writeRecord(fx, r, { patientSig }), "SignatureInvalid");
    expect(lc(err.errorArgs[0] as string)).toBe(lc(r.patient));
  });
});

describe("EmrRegistry.updateRecord", () => {
  it("writes version 2 and 3, emits RecordUpdated, keeps earlier versions readable", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const rec1 = await recordView(fx, r.recordId);

    const u2 = newUpdate(fx, r.recordId, 2n);
    const receipt = await updateRecord(fx, u2);
    expectEvents(fx.emr, receipt, [
      [
        "RecordUpdated",
        r.recordId,
        2n,
        u2.doctor,
        fx.hospital.address,
        u2.contentHash,
        u2.fieldsRoot,
        u2.storagePointer,
        u2.reasonHash,
      ],
    ]);
    expect(await fx.emr.call("nonceUsed", [r.patient, u2.patientNonce])).toBe(true);
    expect(await fx.emr.call("nonceUsed", [u2.doctor, u2.doctorNonce])).toBe(true);

    // a second doctor of the same hospital writes version 3
    const doctor2 = await secondDoctor(fx);
    const u3 = newUpdate(fx, r.recordId, 3n, { doctor: doctor2.address });
    await updateRecord(fx, u3, { doctorSigner: doctor2 });

    const rec = await recordView(fx, r.recordId);
    expect(rec.slice(0, 7)).toEqual(
      norm([
        r.patient,
        doctor2.address,
        fx.hospital.address,
        u3.contentHash,
        u3.storagePointer,
        r.createdAt,
        3n,
      ]),
    );
    expect(await versionView(fx, r.recordId, 1n)).toEqual(
      norm([r.doctor, r.contentHash, r.fieldsRoot, r.storagePointer, ZERO32, rec1[7]]),
    );
    const v2 = await versionView(fx, r.recordId, 2n);
    expect(v2.slice(0, 5)).toEqual(
      norm([u2.doctor, u2.contentHash, u2.fieldsRoot, u2.storagePointer, u2.reasonHash]),
    );
    expect(v2[5] as bigint).toBeGreaterThanOrEqual(rec1[7] as bigint);
    const v3 = await versionView(fx, r.recordId, 3n);
    expect(v3.slice(0, 5)).toEqual(
      norm([doctor2.address, u3.contentHash, u3.fieldsRoot, u3.storagePointer, u3.reasonHash]),
    );
    expect(rec[7]).toBe(v3[5]);
    // patient and hospital of the record do not change
    expect(lc(await fx.emr.call<string>("hospitalOf", [r.recordId]))).toBe(lc(fx.hospital.address));
    expect(lc(await fx.emr.call<string>("patientOf", [r.recordId]))).toBe(lc(r.patient));
  });

  it("a doctor of another hospital updates through that hospital's operator", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const b = await hospitalB(fx);
    const u = newUpdate(fx, r.recordId, 2n, { doctor: b.doctor.address });
    await expectRevert(updateRecord(fx, u, { doctorSigner: b.doctor }), "EmrRegistryNotHospitalOperator", [
      fx.operator,
      b.hospital.address,
    ]);
    const receipt = await updateRecord(fx, u, { doctorSigner: b.doctor, user: b.operator });
    expect(eventsOf(fx.emr, receipt)[0]!.slice(0, 5)).toEqual(
      norm(["RecordUpdated", r.recordId, 2n, b.doctor.address, b.hospital.address]),
    );
    expect(lc(await fx.emr.call<string>("hospitalOf", [r.recordId]))).toBe(lc(fx.hospital.address));
  });

  it("refuses an unknown record, an inactive doctor and the wrong sender", async () => {
    const fx = await activeFixture(chain);
    const unknown = hashOf("no record");
    await expectRevert(updateRecord(fx, newUpdate(fx, unknown, 2n)), "EmrRegistryRecordNotFound", [unknown]);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const stranger = newWallet();
    await expectRevert(
      updateRecord(fx, newUpdate(fx, r.recordId, 2n, { doctor: stranger.address }), {
        doctorSigner: stranger,
      }),
      "EmrRegistryDoctorNotActive",
      [stranger.address],
    );
    const other = await newAccount(chain, "outsider");
    await expectRevert(
      updateRecord(fx, newUpdate(fx, r.recordId, 2n), { user: other }),
      "EmrRegistryNotHospitalOperator",
      [other, fx.hospital.address],
    );
    await decide(fx, fx.doctor.address, DECISION.revoke);
    await expectRevert(updateRecord(fx, newUpdate(fx, r.recordId, 2n)), "EmrRegistryDoctorNotActive", [
      fx.doctor.address,
    ]);
  });

  it("refuses bad signatures: wrong key, wrong version, doctor's key in the patient's place", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const u = newUpdate(fx, r.recordId, 2n);
    const thief = newWallet();
    await expectRevert(updateRecord(fx, u, { patientSigner: thief }), "SignatureInvalid", [
      r.patient,
      thief.address,
    ]);
    await expectRevert(updateRecord(fx, u, { doctorSigner: thief }), "SignatureInvalid", [
      u.doctor,
      thief.address,
    ]);
    await expectRevert(updateRecord(fx, u, { patientSigner: fx.doctor }), "SignatureInvalid", [
      r.patient,
      fx.doctor.address,
    ]);
    // signed for another version: recovers to someone else
    for (const version of [1n, 3n]) {
      const patientSig = await signUpdate(fx, fx.patient, u, u.patientNonce, { version });
      const err = await expectRevert(updateRecord(fx, u, { patientSig }), "SignatureInvalid");
      expect(lc(err.errorArgs[0] as string)).toBe(lc(r.patient));
      expect(lc(err.errorArgs[1] as string)).not.toBe(lc(r.patient));
    }
    expect((await recordView(fx, r.recordId))[6]).toBe(1n);
  });

  it("refuses a replayed and an expired update", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const u = newUpdate(fx, r.recordId, 2n);
    const patientSig = await signUpdate(fx, fx.patient, u, u.patientNonce);
    const doctorSig = await signUpdate(fx, fx.doctor, u, u.doctorNonce);
    await fx.emr.send("updateRecord", updateArgs(u, patientSig, doctorSig));
    // the same transaction again: the version moved on, but the nonce is checked first
    await expectRevert(fx.emr.send("updateRecord", updateArgs(u, patientSig, doctorSig)), "SignatureInvalid");
    // a fresh signature for version 3 reusing the patient's nonce
    const u3 = newUpdate(fx, r.recordId, 3n, { patientNonce: u.patientNonce });
    await expectRevert(updateRecord(fx, u3), "SignatureNonceUsed", [r.patient, u.patientNonce]);
    const u3b = newUpdate(fx, r.recordId, 3n, { doctorNonce: u.doctorNonce });
    await expectRevert(updateRecord(fx, u3b), "SignatureNonceUsed", [u.doctor, u.doctorNonce]);
    const deadline = now() - 1n;
    const err = await expectRevert(
      updateRecord(fx, newUpdate(fx, r.recordId, 3n, { deadline })),
      "SignatureExpired",
    );
    expect(err.errorArgs[0]).toBe(deadline);
    expect(err.errorArgs[1] as bigint).toBeGreaterThan(deadline);
  });
});

describe("EmrRegistry.deleteRecord", () => {
  it("tombstones the record: RecordDeleted, isDeleted, hashes kept, pointers no longer served", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const u = newUpdate(fx, r.recordId, 2n);
    await updateRecord(fx, u);
    const d = newDeletion(r.recordId);
    // any relayer: here the alliance's owner account
    const receipt = await deleteRecord(fx, d, { user: fx.owner });
    expectEvents(fx.emr, receipt, [["RecordDeleted", r.recordId, r.patient, d.reasonHash, 2n]]);
    expect(await fx.emr.call("isDeleted", [r.recordId])).toBe(true);
    expect(await fx.emr.call("exists", [r.recordId])).toBe(true);
    expect(await fx.emr.call("nonceUsed", [r.patient, d.nonce])).toBe(true);
    const rec = await recordView(fx, r.recordId);
    expect(rec.slice(0, 7)).toEqual(
      norm([r.patient, u.doctor, fx.hospital.address, u.contentHash, "", r.createdAt, 2n]),
    );
    expect((await versionView(fx, r.recordId, 1n)).slice(0, 5)).toEqual(
      norm([r.doctor, r.contentHash, r.fieldsRoot, "", ZERO32]),
    );
    expect((await versionView(fx, r.recordId, 2n)).slice(0, 5)).toEqual(
      norm([u.doctor, u.contentHash, u.fieldsRoot, "", u.reasonHash]),
    );
  });

  it("no update, no second deletion and no rewrite after deletion", async () => {
    const fx = await activeFixture(chain);
    const r = newRecord(fx);
    await writeRecord(fx, r);
    const d = newDeletion(r.recordId);
    const sig = await signDeletion(fx, fx.patient, d);
    await deleteRecord(fx, d, { sig });
    await expectRevert(updateRecord(fx, newUpdate(fx, r.recordId, 2n)), "EmrRegistryRecordDeleted", [
      r.recordId,
    ]);
    await expectRevert(deleteRecord(fx, newDeletion(r.recordId)), "EmrRegistryRecordDeleted", [r.recordId]);
    // the very same deletion again fails on its nonce first
    await expectRevert(deleteRecord(fx, d, { sig }), "SignatureNonceUsed", [r.patient, d.nonce]);
    const again = newRecord(fx, { createdAt: r.createdAt });
    await expectRevert(writeRecord(fx, again), "EmrRegistryRecordExists", [r.recordId]);
  });

  it("needs a relayer, an existing record, the patient's signature and an open deadline", async () => {
    const fx = await activeFixture(chain);
    const outsider = await newAccount(chain, "outsider");
    const r = newRecord(fx);
    await writeRecord(fx, r);
    await expectRevert(
      deleteRecord(fx, newDeletion(r.recordId), { user: outsider }),
      "EmrRegistryNotRelayer",
      [outsider],
    );
    const unknown = hashOf("no record");
    await expectRevert(deleteRecord(fx, newDeletion(unknown)), "EmrRegistryRecordNotFound", [unknown]);
    await expectRevert(deleteRecord(fx, newDeletion(r.recordId), { signer: fx.doctor }), "SignatureInvalid", [
      r.patient,
      fx.doctor.address,
    ]);
    const deadline = now() - 1n;
    const err = await expectRevert(
      deleteRecord(fx, newDeletion(r.recordId, { deadline })),
      "SignatureExpired",
    );
    expect(err.errorArgs[0]).toBe(deadline);
    expect(err.errorArgs[1] as bigint).toBeGreaterThan(deadline);
    // the operator of another approved hospital is a relayer too
    const b = await hospitalB(fx);
    expect((await deleteRecord(fx, newDeletion(r.recordId), { user: b.operator })).statusOK).toBe(true);
  });
});

describe("EmrRegistry co-signing delegates", () => {
  it("the owner sets the delegation contract once (DelegationSet)", async () => {
    const fx = await activeFixture(chain);
    const delegation = await deployDelegation(fx);
    expect(lc(await fx.emr.call<string>("owner"))).toBe(fx.owner);
    expect(lc(await fx.emr.call<string>("delegation"))).toBe(lc(ZeroAddress));
    await expectRevert(fx.emr.send("setDelegation", [delegation.address]), "EmrRegistryNotOwner", [
      fx.operator,
    ]);
    await expectRevert(
      fx.emr.send("setDelegation", [ZeroAddress], { user: fx.owner }),
      "EmrRegistryZeroAddress",
      [],
    );
    const receipt = await fx.emr.send("setDelegation", [delegation.address], { user: fx.owner });
    expectEvents(fx.emr, receipt, [["DelegationSet", delegation.address]]);
    expect(lc(await fx.emr.call<string>("delegation"))).toBe(lc(delegation.address));
    await expectRevert(
      fx.emr.send("setDelegation", [delegation.address], { user: fx.owner }),
      "EmrRegistryDelegationAlreadySet",
      [delegation.address],
    );
  });

  it("a delegate with the co-sign scope signs write, update and delete for the patient", async () => {
    const fx = await activeFixture(chain);
    const guardian = newWallet();
    const r = newRecord(fx);
    // no delegation contract yet: the guardian's signature is refused
    await expectRevert(writeRecord(fx, r, { patientSigner: guardian }), "SignatureInvalid", [
      r.patient,
      guardian.address,
    ]);
    const delegation = await deployDelegation(fx);
    await fx.emr.send("setDelegation", [delegation.address], { user: fx.owner });
    // not delegated yet
    await expectRevert(writeRecord(fx, r, { patientSigner: guardian }), "SignatureInvalid", [
      r.patient,
      guardian.address,
    ]);
    await delegateTo(fx, delegation, guardian.address, DELEGATION_SCOPE.cosign);

    const receipt = await writeRecord(fx, r, { patientSigner: guardian });
    expect(eventsOf(fx.emr, receipt)[0]![0]).toBe("RecordWritten");
    // the signer's own nonce is used, not the patient's
    expect(await fx.emr.call("nonceUsed", [guardian.address, r.patientNonce])).toBe(true);
    expect(await fx.emr.call("nonceUsed", [r.patient, r.patientNonce])).toBe(false);

    const u = newUpdate(fx, r.recordId, 2n);
    await updateRecord(fx, u, { patientSigner: guardian });
    expect((await recordView(fx, r.recordId))[6]).toBe(2n);

    const d = newDeletion(r.recordId);
    const del = await deleteRecord(fx, d, { signer: guardian });
    expectEvents(fx.emr, del, [["RecordDeleted", r.recordId, r.patient, d.reasonHash, 2n]]);
    expect(await fx.emr.call("nonceUsed", [guardian.address, d.nonce])).toBe(true);
  });

  it("a delegate without the co-sign scope, or of another patient, is refused", async () => {
    const fx = await activeFixture(chain);
    const delegation = await deployDelegation(fx);
    await fx.emr.send("setDelegation", [delegation.address], { user: fx.owner });
    const family = newWallet();
    await delegateTo(fx, delegation, family.address, DELEGATION_SCOPE.access | DELEGATION_SCOPE.complaint);
    const r = newRecord(fx);
    await expectRevert(writeRecord(fx, r, { patientSigner: family }), "SignatureInvalid", [
      r.patient,
      family.address,
    ]);
    await writeRecord(fx, r);
    await expectRevert(
      updateRecord(fx, newUpdate(fx, r.recordId, 2n), { patientSigner: family }),
      "SignatureInvalid",
      [r.patient, family.address],
    );
    await expectRevert(deleteRecord(fx, newDeletion(r.recordId), { signer: family }), "SignatureInvalid", [
      r.patient,
      family.address,
    ]);

    // a co-signer of another patient
    const other = newWallet();
    await applyPatient(fx, other);
    await decide(fx, other.address, DECISION.approve);
    const guardianOfOther = newWallet();
    await delegateTo(fx, delegation, guardianOfOther.address, DELEGATION_SCOPE.cosign, other);
    await expectRevert(
      deleteRecord(fx, newDeletion(r.recordId), { signer: guardianOfOther }),
      "SignatureInvalid",
      [r.patient, guardianOfOther.address],
    );
    // the doctor cannot co-sign as a delegate either
    await expectRevert(deleteRecord(fx, newDeletion(r.recordId), { signer: fx.doctor }), "SignatureInvalid", [
      r.patient,
      fx.doctor.address,
    ]);
    expect(await fx.emr.call("isDeleted", [r.recordId])).toBe(false);
  });
});

describe("EmrRegistry.verifyField", () => {
  const bundleFor = (fx: Fixture, createdAt: bigint, code: string) =>
    makeEmrBundle({
      patient: { address: fx.patient.address },
      doctor: { address: fx.doctor.address },
      hospital: { address: fx.hospital.address },
      title: "门诊病历",
      chiefComplaint: "咳嗽三天",
      diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code, display: "急性上呼吸道感染" },
      createdAt,
    });
  const DIAGNOSIS = "/entry/5/resource/code/coding/0/code";

  /** verifyField for the sdk proof of `path` in `bundle`, with the disclosed value overridable. */
  const check = (
    fx: Fixture,
    recordId: string,
    version: bigint,
    path: string,
    value: FieldValue,
    proof: readonly string[],
  ) => {
    const { pathHash, valueHash } = fieldHashesOf(path, value);
    return fx.emr.call<boolean>("verifyField", [recordId, version, pathHash, valueHash, [...proof]]);
  };

  async function writtenBundle(fx: Fixture) {
    const createdAt = now();
    const bundle = bundleFor(fx, createdAt, "J06.9");
    const r = newRecord(fx, { createdAt, fieldsRoot: fieldsRootOf(bundle) });
    await writeRecord(fx, r);
    return { r, bundle };
  }

  it("accepts the sdk's proof of every field of a written record", async () => {
    const fx = await activeFixture(chain);
    const { r, bundle } = await writtenBundle(fx);
    const leaves = fieldLeavesOf(bundle);
    expect(leaves.length).toBeGreaterThan(20);
    for (const leaf of leaves) {
      const p = fieldProofOf(bundle, leaf.path);
      expect(await check(fx, r.recordId, 1n, p.path, p.value, p.proof), p.path).toBe(true);
    }
  });

  it("refuses a wrong value, a wrong path, a wrong version and a tampered sibling", async () => {
    const fx = await activeFixture(chain);
    const { r, bundle } = await writtenBundle(fx);
    const p = fieldProofOf(bundle, DIAGNOSIS);
    expect(p.value).toBe("J06.9");
    expect(await check(fx, r.recordId, 1n, p.path, p.value, p.proof)).toBe(true);
    expect(await check(fx, r.recordId, 1n, p.path, "J18.9", p.proof)).toBe(false);
    // the same text as another JSON type is another value
    expect(await check(fx, r.recordId, 1n, "/entry/0/resource/resourceType", "Patient", p.proof)).toBe(false);
    expect(await check(fx, r.recordId, 1n, "/entry/5/resource/code/coding/0/display", p.value, p.proof)).toBe(
      false,
    );
    expect(await check(fx, r.recordId, 2n, p.path, p.value, p.proof)).toBe(false);
    expect(await check(fx, r.recordId, 0n, p.path, p.value, p.proof)).toBe(false);
    for (let i = 0; i < p.proof.length; i++) {
      const tampered = [...p.proof];
      tampered[i] = hashOf(`tampered ${i}`);
      expect(await check(fx, r.recordId, 1n, p.path, p.value, tampered)).toBe(false);
    }
    expect(await check(fx, r.recordId, 1n, p.path, p.value, p.proof.slice(1))).toBe(false);
    // the leaf itself cannot be passed off as a one-level proof of the root
    expect(await check(fx, r.recordId, 1n, p.path, p.value, [])).toBe(false);
  });

  it("checks each version against its own root and refuses a proof of another record", async () => {
    const fx = await activeFixture(chain);
    const { r, bundle } = await writtenBundle(fx);
    const v2 = bundleFor(fx, r.createdAt, "J18.9");
    await updateRecord(fx, newUpdate(fx, r.recordId, 2n, { fieldsRoot: fieldsRootOf(v2) }));
    const p1 = fieldProofOf(bundle, DIAGNOSIS);
    const p2 = fieldProofOf(v2, DIAGNOSIS);
    expect(await check(fx, r.recordId, 1n, DIAGNOSIS, "J06.9", p1.proof)).toBe(true);
    expect(await check(fx, r.recordId, 2n, DIAGNOSIS, "J18.9", p2.proof)).toBe(true);
    expect(await check(fx, r.recordId, 2n, DIAGNOSIS, "J06.9", p1.proof)).toBe(false);
    expect(await check(fx, r.recordId, 1n, DIAGNOSIS, "J18.9", p2.proof)).toBe(false);

    // another record of the same patient with a different bundle
    const other = await writtenBundle(fx);
    const po = fieldProofOf(other.bundle, "/entry/0/resource/id");
    expect(await check(fx, other.r.recordId, 1n, po.path, po.value, po.proof)).toBe(true);
    expect(await check(fx, r.recordId, 1n, po.path, po.value, po.proof)).toBe(false);
    expect(await check(fx, hashOf("nothing"), 1n, p1.path, p1.value, p1.proof)).toBe(false);
  });

  it("still answers after the record's deletion (the version's hashes are kept)", async () => {
    const fx = await activeFixture(chain);
    const { r, bundle } = await writtenBundle(fx);
    await deleteRecord(fx, newDeletion(r.recordId));
    const p = fieldProofOf(bundle, DIAGNOSIS);
    expect(await check(fx, r.recordId, 1n, p.path, p.value, p.proof)).toBe(true);
  });

  it("OpenZeppelin: proofs interoperate, tree building does not (documented in sdk/src/merkle.ts)", () => {
    const doc = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    const sameRoot: number[] = [];
    for (const n of [2, 3, 4, 5, 7, 8, 16, 17]) {
      const leaves = fieldLeavesOf(doc(n));
      const root = fieldsRootOf(doc(n));
      // StandardMerkleTree hashes the leaf twice: never our root
      const standard = StandardMerkleTree.of(
        leaves.map((l) => {
          const h = fieldHashesOf(l.path, l.value);
          return [h.pathHash, h.valueHash];
        }),
        ["bytes32", "bytes32"],
      );
      expect(standard.root).not.toBe(root);
      // our proofs pass OpenZeppelin's sorted-pair verification
      for (const l of leaves)
        expect(SimpleMerkleTree.verify(root, l.leaf, fieldProofOf(doc(n), l.path).proof)).toBe(true);
      // SimpleMerkleTree lays out a complete binary tree: same root for some leaf counts only
      if (SimpleMerkleTree.of(leaves.map((l) => l.leaf)).root === root) sameRoot.push(n);
    }
    expect(sameRoot).toEqual([2, 3, 4, 8, 16]);
  });
});
