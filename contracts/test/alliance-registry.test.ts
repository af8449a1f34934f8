import { describe, expect, it } from "vitest";
import { TypedDataEncoder, ZeroAddress } from "ethers";
import {
  CHAIN_ID,
  DECISION,
  ROLE,
  HOSPITAL_LEVEL,
  STATUS,
  activeFixture,
  certificationOf,
  certifyDoctor,
  chainPerTestFile,
  setHospitalLevel,
  signHospitalLevel,
  applyHospital,
  applyPatient,
  decide,
  deployFixture,
  expectEvents,
  expectRevert,
  hashOf,
  highS,
  lc,
  memberOf,
  newAccount,
  newWallet,
  now,
  registerDoctor,
  signApplication,
  signDecision,
} from "./fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

describe("AllianceRegistry deployment", () => {
  it("records the owner, the admins and the EIP-712 domain", async () => {
    const fx = await deployFixture(chain);
    expect(lc(await fx.alliance.call<string>("owner"))).toBe(fx.owner);
    expect(await fx.alliance.call("isAdmin", [fx.admin.address])).toBe(true);
    expect(await fx.alliance.call("isAdmin", [fx.patient.address])).toBe(false);
    expect(await fx.alliance.call("isRelayer", [fx.owner])).toBe(true);
    expect(await fx.alliance.call("isRelayer", [fx.operator])).toBe(false);
    const expected = TypedDataEncoder.hashDomain({
      name: "AllianceRegistry",
      version: "1",
      chainId: CHAIN_ID,
      verifyingContract: fx.alliance.address,
    });
    expect(await fx.alliance.call("domainSeparator")).toBe(expected);
    expect(await fx.emr.call("domainSeparator")).toBe(
      TypedDataEncoder.hashDomain({
        name: "EmrRegistry",
        version: "1",
        chainId: CHAIN_ID,
        verifyingContract: fx.emr.address,
      }),
    );
    expect(lc(await fx.emr.call<string>("allianceRegistry"))).toBe(fx.alliance.address);
    expect(await memberOf(fx, fx.patient.address)).toEqual([
      0n,
      0n,
      ZeroAddress,
      "0x" + "0".repeat(64),
      ZeroAddress,
    ]);
  });
});

describe("applications", () => {
  it("a patient applies through a relayer", async () => {
    const fx = await deployFixture(chain);
    const ph = hashOf("patient profile");
    const s = await signApplication(fx, fx.patient, ROLE.patient, ZeroAddress, ph);
    const receipt = await fx.alliance.send("applyAsPatient", [
      fx.patient.address,
      ph,
      s.nonce,
      s.deadline,
      s.sig,
    ]);
    expectEvents(fx.alliance, receipt, [
      ["MemberApplied", fx.patient.address, ROLE.patient, ZeroAddress, ph, ZeroAddress],
    ]);
    expect(await memberOf(fx, fx.patient.address)).toEqual([1n, 1n, ZeroAddress, ph, ZeroAddress]);
    expect(await fx.alliance.call("nonceUsed", [fx.patient.address, s.nonce])).toBe(true);
    expect(await fx.alliance.call("isActive", [fx.patient.address, ROLE.patient])).toBe(false);
  });

  it("a hospital applies through the owner with its operator", async () => {
    const fx = await deployFixture(chain);
    const ph = hashOf("hospital profile");
    const receipt = await applyHospital(fx, fx.hospital, fx.operator, { profileHash: ph });
    expectEvents(fx.alliance, receipt, [
      ["MemberApplied", fx.hospital.address, ROLE.hospital, ZeroAddress, ph, fx.operator],
    ]);
    expect(await memberOf(fx, fx.hospital.address)).toEqual([3n, 1n, ZeroAddress, ph, fx.operator]);
    expect(lc(await fx.alliance.call<string>("operatorOf", [fx.hospital.address]))).toBe(fx.operator);
    expect(await fx.alliance.call("isRelayer", [fx.operator])).toBe(false);

    const reason = hashOf("licence checked");
    const d = await decide(fx, fx.hospital.address, DECISION.approve, { reasonHash: reason });
    expectEvents(fx.alliance, d, [
      ["MemberDecided", fx.hospital.address, DECISION.approve, fx.admin.address, reason],
    ]);
    expect(await fx.alliance.call("isActive", [fx.hospital.address, ROLE.hospital])).toBe(true);
    expect(await fx.alliance.call("isRelayer", [fx.operator])).toBe(true);
  });

  it("only the owner sends hospital applications", async () => {
    const fx = await deployFixture(chain);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(
      applyHospital(fx, fx.hospital, fx.operator, { user: stranger }),
      "AllianceRegistryNotOwner",
      [stranger],
    );
  });

  it("an operator cannot serve two live hospitals", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    const other = newWallet();
    await expectRevert(applyHospital(fx, other, fx.operator), "AllianceRegistryOperatorInUse", [
      fx.operator,
      fx.hospital.address,
    ]);
  });

  it("an approved hospital's operator registers a doctor, who becomes active once approved", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    await decide(fx, fx.hospital.address, DECISION.approve);
    const ph = hashOf("doctor profile");
    const receipt = await registerDoctor(fx, fx.doctor, fx.hospital.address, { profileHash: ph });
    expectEvents(fx.alliance, receipt, [
      ["MemberApplied", fx.doctor.address, ROLE.doctor, fx.hospital.address, ph, ZeroAddress],
    ]);
    expect(await memberOf(fx, fx.doctor.address)).toEqual([2n, 1n, lc(fx.hospital.address), ph, ZeroAddress]);
    expect(await fx.alliance.call("isActive", [fx.doctor.address, ROLE.doctor])).toBe(false);
    await decide(fx, fx.doctor.address, DECISION.approve);
    expect(await fx.alliance.call("isActive", [fx.doctor.address, ROLE.doctor])).toBe(true);
    expect(await fx.alliance.call("isActive", [fx.doctor.address, ROLE.patient])).toBe(false);
  });

  it("the operator of an approved hospital relays patient applications", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    await decide(fx, fx.hospital.address, DECISION.approve);
    const receipt = await applyPatient(fx, fx.patient, { user: fx.operator });
    expect(receipt.statusOK).toBe(true);
    await decide(fx, fx.patient.address, DECISION.approve, { user: fx.operator });
    expect(await fx.alliance.call("isActive", [fx.patient.address, ROLE.patient])).toBe(true);
  });

  it("a doctor cannot be registered at a hospital that is not approved", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    await expectRevert(registerDoctor(fx), "AllianceRegistryHospitalNotApproved", [fx.hospital.address]);
  });

  it("only the hospital's operator registers its doctors", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    await decide(fx, fx.hospital.address, DECISION.approve);
    await expectRevert(
      registerDoctor(fx, fx.doctor, fx.hospital.address, { user: fx.owner }),
      "AllianceRegistryNotHospitalOperator",
      [fx.owner, fx.hospital.address],
    );
  });

  it("a doctor of a hospital that is no longer approved is not active", async () => {
    const fx = await activeFixture(chain);
    expect(await fx.alliance.call("isActive", [fx.doctor.address, ROLE.doctor])).toBe(true);
    await decide(fx, fx.hospital.address, DECISION.revoke);
    const doctor = await memberOf(fx, fx.doctor.address);
    expect(doctor[1]).toBe(BigInt(STATUS.approved));
    expect(doctor[2]).toBe(lc(fx.hospital.address));
    expect(await fx.alliance.call("isActive", [fx.doctor.address, ROLE.doctor])).toBe(false);
    expect(await fx.alliance.call("isRelayer", [fx.operator])).toBe(false);
    // the revoked hospital's operator can no longer relay
    const p = newWallet();
    await expectRevert(applyPatient(fx, p, { user: fx.operator }), "AllianceRegistryNotRelayer", [
      fx.operator,
    ]);
  });
});

describe("decisions", () => {
  it("approve, reject and revoke move the status and emit MemberDecided", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    const r1 = hashOf("ok");
    const approved = await decide(fx, fx.patient.address, DECISION.approve, { reasonHash: r1 });
    expectEvents(fx.alliance, approved, [
      ["MemberDecided", fx.patient.address, DECISION.approve, fx.admin.address, r1],
    ]);
    expect((await memberOf(fx, fx.patient.address))[1]).toBe(BigInt(STATUS.approved));
    expect(await fx.alliance.call("isActive", [fx.patient.address, ROLE.patient])).toBe(true);

    const r3 = hashOf("abuse");
    const revoked = await decide(fx, fx.patient.address, DECISION.revoke, { reasonHash: r3 });
    expectEvents(fx.alliance, revoked, [
      ["MemberDecided", fx.patient.address, DECISION.revoke, fx.admin.address, r3],
    ]);
    expect((await memberOf(fx, fx.patient.address))[1]).toBe(BigInt(STATUS.revoked));
    expect(await fx.alliance.call("isActive", [fx.patient.address, ROLE.patient])).toBe(false);

    const other = newWallet();
    await applyPatient(fx, other);
    const r2 = hashOf("incomplete");
    const rejected = await decide(fx, other.address, DECISION.reject, { reasonHash: r2 });
    expectEvents(fx.alliance, rejected, [
      ["MemberDecided", other.address, DECISION.reject, fx.admin.address, r2],
    ]);
    expect((await memberOf(fx, other.address))[1]).toBe(BigInt(STATUS.rejected));
  });

  it("a rejected member may apply again", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    await decide(fx, fx.patient.address, DECISION.reject);
    const ph = hashOf("second try");
    const again = await applyPatient(fx, fx.patient, { profileHash: ph });
    expectEvents(fx.alliance, again, [
      ["MemberApplied", fx.patient.address, ROLE.patient, ZeroAddress, ph, ZeroAddress],
    ]);
    expect(await memberOf(fx, fx.patient.address)).toEqual([1n, 1n, ZeroAddress, ph, ZeroAddress]);
    await decide(fx, fx.patient.address, DECISION.approve);
    expect(await fx.alliance.call("isActive", [fx.patient.address, ROLE.patient])).toBe(true);
  });

  it("a rejected hospital re-applies with the same operator", async () => {
    const fx = await deployFixture(chain);
    await applyHospital(fx);
    await decide(fx, fx.hospital.address, DECISION.reject);
    await applyHospital(fx);
    expect((await memberOf(fx, fx.hospital.address))[1]).toBe(BigInt(STATUS.pending));
  });

  it("a revoked member cannot apply again", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    await decide(fx, fx.patient.address, DECISION.approve);
    await decide(fx, fx.patient.address, DECISION.revoke);
    await expectRevert(applyPatient(fx), "AllianceRegistryCannotApply", [fx.patient.address, STATUS.revoked]);
  });

  it("pending and approved members cannot apply again", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    await expectRevert(applyPatient(fx), "AllianceRegistryCannotApply", [fx.patient.address, STATUS.pending]);
    await decide(fx, fx.patient.address, DECISION.approve);
    await expectRevert(applyPatient(fx), "AllianceRegistryCannotApply", [
      fx.patient.address,
      STATUS.approved,
    ]);
  });

  it("decisions need the right status", async () => {
    const fx = await deployFixture(chain);
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.approve),
      "AllianceRegistryInvalidTransition",
      [fx.patient.address, STATUS.none, DECISION.approve],
    );
    await applyPatient(fx);
    await expectRevert(decide(fx, fx.patient.address, DECISION.revoke), "AllianceRegistryInvalidTransition", [
      fx.patient.address,
      STATUS.pending,
      DECISION.revoke,
    ]);
    await decide(fx, fx.patient.address, DECISION.approve);
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.approve),
      "AllianceRegistryInvalidTransition",
      [fx.patient.address, STATUS.approved, DECISION.approve],
    );
    await expectRevert(decide(fx, fx.patient.address, DECISION.reject), "AllianceRegistryInvalidTransition", [
      fx.patient.address,
      STATUS.approved,
      DECISION.reject,
    ]);
    await expectRevert(decide(fx, fx.patient.address, 4), "AllianceRegistryInvalidDecision", [4]);
    await expectRevert(decide(fx, fx.patient.address, 0), "AllianceRegistryInvalidDecision", [0]);
  });

  it("the decision signer must be an admin", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    const impostor = newWallet();
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.approve, { signer: impostor }),
      "AllianceRegistryNotAdmin",
      [impostor.address],
    );
    expect((await memberOf(fx, fx.patient.address))[1]).toBe(BigInt(STATUS.pending));
  });

  it("the owner adds and removes admins", async () => {
    const fx = await deployFixture(chain);
    const second = newWallet();
    const added = await fx.alliance.send("addAdmin", [second.address]);
    expectEvents(fx.alliance, added, [["AdminAdded", second.address]]);
    await expectRevert(fx.alliance.send("addAdmin", [second.address]), "AllianceRegistryAdminExists", [
      second.address,
    ]);
    await applyPatient(fx);
    const d = await decide(fx, fx.patient.address, DECISION.approve, { signer: second });
    expectEvents(fx.alliance, d, [
      [
        "MemberDecided",
        fx.patient.address,
        DECISION.approve,
        second.address,
        hashOf(`decision 1 on ${fx.patient.address}`),
      ],
    ]);

    const removed = await fx.alliance.send("removeAdmin", [second.address]);
    expectEvents(fx.alliance, removed, [["AdminRemoved", second.address]]);
    expect(await fx.alliance.call("isAdmin", [second.address])).toBe(false);
    await expectRevert(fx.alliance.send("removeAdmin", [second.address]), "AllianceRegistryAdminNotFound", [
      second.address,
    ]);
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.revoke, { signer: second }),
      "AllianceRegistryNotAdmin",
      [second.address],
    );

    const stranger = await newAccount(chain, "stranger");
    await expectRevert(
      fx.alliance.send("addAdmin", [second.address], { user: stranger }),
      "AllianceRegistryNotOwner",
      [stranger],
    );
    await expectRevert(
      fx.alliance.send("removeAdmin", [fx.admin.address], { user: stranger }),
      "AllianceRegistryNotOwner",
      [stranger],
    );
  });
});

describe("relayers and signatures", () => {
  it("a sender that is not a relayer is refused", async () => {
    const fx = await deployFixture(chain);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(applyPatient(fx, fx.patient, { user: stranger }), "AllianceRegistryNotRelayer", [
      stranger,
    ]);
    await applyPatient(fx);
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.approve, { user: stranger }),
      "AllianceRegistryNotRelayer",
      [stranger],
    );
    // the operator of a hospital that is only pending is not a relayer yet
    await applyHospital(fx);
    await expectRevert(applyPatient(fx, newWallet(), { user: fx.operator }), "AllianceRegistryNotRelayer", [
      fx.operator,
    ]);
  });

  it("an application signed by another key is refused", async () => {
    const fx = await deployFixture(chain);
    const other = newWallet();
    await expectRevert(applyPatient(fx, fx.patient, { signer: other }), "SignatureInvalid", [
      fx.patient.address,
      other.address,
    ]);
    await expectRevert(applyHospital(fx, fx.hospital, fx.operator, { signer: other }), "SignatureInvalid", [
      fx.hospital.address,
      other.address,
    ]);
    expect((await memberOf(fx, fx.patient.address))[1]).toBe(0n);
  });

  it("a signature over other values recovers to someone else", async () => {
    const fx = await deployFixture(chain);
    const ph = hashOf("signed profile");
    const s = await signApplication(fx, fx.patient, ROLE.patient, ZeroAddress, ph);
    const err = await expectRevert(
      fx.alliance.send("applyAsPatient", [
        fx.patient.address,
        hashOf("other profile"),
        s.nonce,
        s.deadline,
        s.sig,
      ]),
      "SignatureInvalid",
    );
    expect(lc(err.errorArgs[0] as string)).toBe(lc(fx.patient.address));
    expect(lc(err.errorArgs[1] as string)).not.toBe(lc(fx.patient.address));
  });

  it("malformed, high-s and bad-v signatures recover to nobody", async () => {
    const fx = await deployFixture(chain);
    const ph = hashOf("p");
    const s = await signApplication(fx, fx.patient, ROLE.patient, ZeroAddress, ph);
    const send = (sig: string) =>
      fx.alliance.send("applyAsPatient", [fx.patient.address, ph, s.nonce, s.deadline, sig]);
    await expectRevert(send(s.sig.slice(0, -2)), "SignatureInvalid", [fx.patient.address, ZeroAddress]);
    await expectRevert(send(highS(s.sig)), "SignatureInvalid", [fx.patient.address, ZeroAddress]);
    await expectRevert(send(s.sig.slice(0, -2) + "01"), "SignatureInvalid", [
      fx.patient.address,
      ZeroAddress,
    ]);
    await expectRevert(send("0x"), "SignatureInvalid", [fx.patient.address, ZeroAddress]);
    // the untouched signature still works (the failures did not consume the nonce)
    expect((await send(s.sig)).statusOK).toBe(true);
  });

  it("a replayed application signature is refused (same nonce)", async () => {
    const fx = await deployFixture(chain);
    const ph = hashOf("p");
    const s = await signApplication(fx, fx.patient, ROLE.patient, ZeroAddress, ph);
    const args = [fx.patient.address, ph, s.nonce, s.deadline, s.sig];
    await fx.alliance.send("applyAsPatient", args);
    await decide(fx, fx.patient.address, DECISION.reject);
    await expectRevert(fx.alliance.send("applyAsPatient", args), "SignatureNonceUsed", [
      fx.patient.address,
      s.nonce,
    ]);
    // a new signature with the same nonce is refused too
    await expectRevert(applyPatient(fx, fx.patient, { nonce: s.nonce }), "SignatureNonceUsed", [
      fx.patient.address,
      s.nonce,
    ]);
  });

  it("a replayed decision is refused (same nonce)", async () => {
    const fx = await deployFixture(chain);
    await applyPatient(fx);
    const reason = hashOf("no");
    const s = await signDecision(fx, fx.patient.address, DECISION.reject, reason);
    const args = [fx.patient.address, DECISION.reject, reason, s.nonce, s.deadline, s.sig];
    await fx.alliance.send("decide", args);
    await applyPatient(fx);
    await expectRevert(fx.alliance.send("decide", args), "SignatureNonceUsed", [fx.admin.address, s.nonce]);
    expect(await fx.alliance.call("nonceUsed", [fx.admin.address, s.nonce])).toBe(true);
    expect((await memberOf(fx, fx.patient.address))[1]).toBe(BigInt(STATUS.pending));
  });

  it("an expired signature is refused (deadline in ms)", async () => {
    const fx = await deployFixture(chain);
    const deadline = now() - 1_000n;
    const err = await expectRevert(applyPatient(fx, fx.patient, { deadline }), "SignatureExpired");
    expect(err.errorArgs[0]).toBe(deadline);
    const chainNow = err.errorArgs[1] as bigint;
    expect(chainNow).toBeGreaterThan(deadline);
    // block time is milliseconds, close to the wall clock
    expect(chainNow > now() - 120_000n && chainNow < now() + 120_000n).toBe(true);
    await applyPatient(fx);
    await expectRevert(
      decide(fx, fx.patient.address, DECISION.approve, { deadline }),
      "SignatureExpired",
      undefined,
    );
    // a deadline just ahead still works
    const ok = await decide(fx, fx.patient.address, DECISION.approve, { deadline: now() + 60_000n });
    expect(ok.statusOK).toBe(true);
  });
});

describe("hospital level", () => {
  it("an admin's signed level is set through any relayer and emits HospitalLevelSet", async () => {
    const fx = await activeFixture(chain);
    expect(await fx.alliance.call("hospitalLevel", [fx.hospital.address])).toBe(0n);
    const r1 = await setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.third);
    expectEvents(fx.alliance, r1, [["HospitalLevelSet", fx.hospital.address, 3n, fx.admin.address]]);
    expect(await fx.alliance.call("hospitalLevel", [fx.hospital.address])).toBe(3n);
    // the hospital's own operator is a relayer too; the level may change
    const r2 = await setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.second, { user: fx.operator });
    expectEvents(fx.alliance, r2, [["HospitalLevelSet", fx.hospital.address, 2n, fx.admin.address]]);
    expect(await fx.alliance.call("hospitalLevel", [fx.hospital.address])).toBe(2n);
  });

  it("refuses a level outside 1..3", async () => {
    const fx = await activeFixture(chain);
    await expectRevert(setHospitalLevel(fx, fx.hospital.address, 0), "AllianceRegistryInvalidLevel", [0n]);
    await expectRevert(setHospitalLevel(fx, fx.hospital.address, 4), "AllianceRegistryInvalidLevel", [4n]);
  });

  it("needs an admin's signature and a relayer", async () => {
    const fx = await activeFixture(chain);
    const stranger = newWallet();
    await expectRevert(
      setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.first, { signer: stranger }),
      "AllianceRegistryNotAdmin",
      [stranger.address],
    );
    const outsider = await newAccount(chain, "outsider");
    await expectRevert(
      setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.first, { user: outsider }),
      "AllianceRegistryNotRelayer",
      [outsider],
    );
    expect(await fx.alliance.call("hospitalLevel", [fx.hospital.address])).toBe(0n);
  });

  it("needs an approved hospital", async () => {
    const fx = await activeFixture(chain);
    const pending = newWallet();
    await applyHospital(fx, pending, await newAccount(chain, "pending-operator"));
    await expectRevert(
      setHospitalLevel(fx, pending.address, HOSPITAL_LEVEL.first),
      "AllianceRegistryHospitalNotApproved",
      [pending.address],
    );
    await expectRevert(
      setHospitalLevel(fx, fx.patient.address, HOSPITAL_LEVEL.first),
      "AllianceRegistryHospitalNotApproved",
      [fx.patient.address],
    );
    await decide(fx, fx.hospital.address, DECISION.revoke);
    await expectRevert(
      setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.first),
      "AllianceRegistryHospitalNotApproved",
      [fx.hospital.address],
    );
  });

  it("refuses a replayed and an expired level signature", async () => {
    const fx = await activeFixture(chain);
    const s = await signHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.third);
    const args = [fx.hospital.address, HOSPITAL_LEVEL.third, s.nonce, s.deadline, s.sig];
    await fx.alliance.send("setHospitalLevel", args);
    expect(await fx.alliance.call("nonceUsed", [fx.admin.address, s.nonce])).toBe(true);
    await expectRevert(fx.alliance.send("setHospitalLevel", args), "SignatureNonceUsed", [
      fx.admin.address,
      s.nonce,
    ]);
    const deadline = now() - 1n;
    const err = await expectRevert(
      setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.first, { deadline }),
      "SignatureExpired",
    );
    expect(err.errorArgs[0]).toBe(deadline);
    expect(err.errorArgs[1] as bigint).toBeGreaterThan(deadline);
  });
});

describe("doctor certification", () => {
  it("the doctor's hospital certifies its approved doctor (DoctorCertified, certificationOf, isCertified)", async () => {
    const fx = await activeFixture(chain);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(false);
    expect(await certificationOf(fx, fx.doctor.address)).toEqual([
      ZeroAddress,
      "0x" + "0".repeat(64),
      "0x" + "0".repeat(64),
      0n,
      0n,
      false,
    ]);
    const cred = hashOf("licence A-1");
    const dept = hashOf("department:emergency");
    const expiresAt = now() + 3_600_000n;
    const before = now();
    const receipt = await certifyDoctor(fx, { credentialHash: cred, department: dept, expiresAt });
    const after = now();
    expectEvents(fx.alliance, receipt, [
      ["DoctorCertified", fx.doctor.address, fx.hospital.address, cred, dept, expiresAt],
    ]);
    const c = await certificationOf(fx, fx.doctor.address);
    expect(c[0]).toBe(lc(fx.hospital.address));
    expect(c.slice(1, 3)).toEqual([cred, dept]);
    const issuedAt = c[3] as bigint;
    expect(issuedAt >= before - 120_000n && issuedAt <= after + 120_000n).toBe(true);
    expect(c.slice(4)).toEqual([expiresAt, false]);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(true);
  });

  it("only the operator of the doctor's approved hospital certifies and revokes", async () => {
    const fx = await activeFixture(chain);
    const hospitalB = newWallet();
    const operatorB = await newAccount(chain, "hospital-b-operator");
    await applyHospital(fx, hospitalB, operatorB);
    await decide(fx, hospitalB.address, DECISION.approve);
    for (const user of [operatorB, fx.owner]) {
      await expectRevert(certifyDoctor(fx, { user }), "AllianceRegistryNotHospitalOperator", [
        user,
        fx.hospital.address,
      ]);
    }
    await certifyDoctor(fx);
    for (const user of [operatorB, fx.owner]) {
      await expectRevert(
        fx.alliance.send("revokeCertification", [fx.doctor.address, hashOf("r")], { user }),
        "AllianceRegistryNotHospitalOperator",
        [user, fx.hospital.address],
      );
    }
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(true);
  });

  it("needs a registered, approved doctor at an approved hospital and a future expiry", async () => {
    const fx = await activeFixture(chain);
    await expectRevert(certifyDoctor(fx, { doctor: fx.patient.address }), "AllianceRegistryNotDoctor", [
      fx.patient.address,
    ]);
    const stranger = newWallet().address;
    await expectRevert(certifyDoctor(fx, { doctor: stranger }), "AllianceRegistryNotDoctor", [stranger]);
    const pending = newWallet();
    await registerDoctor(fx, pending);
    await expectRevert(certifyDoctor(fx, { doctor: pending.address }), "AllianceRegistryDoctorNotApproved", [
      pending.address,
    ]);
    const expiresAt = now() - 1_000n;
    const err = await expectRevert(certifyDoctor(fx, { expiresAt }), "AllianceRegistryInvalidExpiry");
    expect(err.errorArgs[0]).toBe(expiresAt);
    expect(err.errorArgs[1] as bigint).toBeGreaterThan(expiresAt);
    await decide(fx, fx.hospital.address, DECISION.revoke);
    await expectRevert(certifyDoctor(fx), "AllianceRegistryHospitalNotApproved", [fx.hospital.address]);
  });

  it("revocation makes isCertified false and is kept; a new certification replaces it", async () => {
    const fx = await activeFixture(chain);
    await expectRevert(
      fx.alliance.send("revokeCertification", [fx.doctor.address, hashOf("r")], { user: fx.operator }),
      "AllianceRegistryNotCertified",
      [fx.doctor.address],
    );
    const expiresAt = now() + 3_600_000n;
    await certifyDoctor(fx, { expiresAt });
    const reason = hashOf("licence suspended");
    const receipt = await fx.alliance.send("revokeCertification", [fx.doctor.address, reason], {
      user: fx.operator,
    });
    expectEvents(fx.alliance, receipt, [
      ["CertificationRevoked", fx.doctor.address, fx.hospital.address, reason],
    ]);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(false);
    const c = await certificationOf(fx, fx.doctor.address);
    expect(c[4]).toBe(expiresAt);
    expect(c[5]).toBe(true);
    await expectRevert(
      fx.alliance.send("revokeCertification", [fx.doctor.address, reason], { user: fx.operator }),
      "AllianceRegistryNotCertified",
      [fx.doctor.address],
    );
    await certifyDoctor(fx);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(true);
    expect((await certificationOf(fx, fx.doctor.address))[5]).toBe(false);
  });

  it("an expired certification is not certified", async () => {
    const fx = await activeFixture(chain);
    await certifyDoctor(fx, { expiresAt: now() + 1_500n });
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    // views run at the latest block's time: mine one
    await setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.first);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(false);
    expect((await certificationOf(fx, fx.doctor.address))[5]).toBe(false); // expired, not revoked
  });

  it("a doctor who is no longer active is not certified", async () => {
    const fx = await activeFixture(chain);
    await certifyDoctor(fx);
    await decide(fx, fx.hospital.address, DECISION.revoke);
    expect(await fx.alliance.call("isCertified", [fx.doctor.address])).toBe(false);

    const fx2 = await activeFixture(chain);
    await certifyDoctor(fx2);
    await decide(fx2, fx2.doctor.address, DECISION.revoke);
    expect(await fx2.alliance.call("isCertified", [fx2.doctor.address])).toBe(false);
  });
});

describe("hospitalOfOperator", () => {
  it("gives the approved hospital an operator sends for, zero otherwise", async () => {
    const fx = await deployFixture(chain);
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.operator]))).toBe(lc(ZeroAddress));
    await applyHospital(fx);
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.operator]))).toBe(lc(ZeroAddress));
    await decide(fx, fx.hospital.address, DECISION.approve);
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.operator]))).toBe(
      lc(fx.hospital.address),
    );
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.owner]))).toBe(lc(ZeroAddress));
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.hospital.address]))).toBe(
      lc(ZeroAddress),
    );
    await decide(fx, fx.hospital.address, DECISION.revoke);
    expect(lc(await fx.alliance.call<string>("hospitalOfOperator", [fx.operator]))).toBe(lc(ZeroAddress));
  });
});
