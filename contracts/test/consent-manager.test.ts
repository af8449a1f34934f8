import { beforeEach, describe, expect, it } from "vitest";
import { AbiCoder, keccak256 } from "ethers";
import {
  DAY_MS,
  KIND,
  LEVEL,
  REASON,
  ZERO_HASH,
  ZeroAddress,
  blockTimeOf,
  chainPerTestFile,
  complaintTx,
  consentFixtureWithRecord,
  delegateTx,
  deleteRecord,
  expectEvents,
  expectPolicySetterChecks,
  expectRevert,
  grantTx,
  hashOf,
  lc,
  liftTx,
  newDeletion,
  newWallet,
  norm,
  now,
  revokeDelegationTx,
  revokeTx,
  sleep,
  tick,
  writeRecordOf,
  type ConsentFixture,
} from "./consent-fixture.ts";
import { categoryOf as categoryHash, grantIdOf } from "../../sdk/src/typed/consent.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();
let fx: ConsentFixture;
let recordId: string;
beforeEach(async () => {
  ({ fx, recordId } = await consentFixtureWithRecord(chain));
});

const CARDIO = categoryHash("cardiology");
const grantId = (patient: string, scope: string, grantee: string): string =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32", "address"], [patient, scope, grantee]));

/** The AccessGranted event of a grant by `fx.patient` (signed by `signer`, the patient unless a delegate). */
const accessGranted = (
  scope: string,
  kind: number,
  level: number,
  expiresAt: bigint,
  signer: string = fx.patient.address,
  grantee: string = fx.hospital2.address,
): unknown[] => [
  "AccessGranted",
  grantId(fx.patient.address, scope, grantee),
  fx.patient.address,
  grantee,
  scope,
  kind,
  level,
  expiresAt,
  signer,
];
/** The AccessRevoked event of `fx.patient`'s grant to hospital 2 (signed by `signer`). */
const accessRevoked = (scope: string, signer: string = fx.patient.address): unknown[] => [
  "AccessRevoked",
  grantId(fx.patient.address, scope, fx.hospital2.address),
  fx.patient.address,
  fx.hospital2.address,
  scope,
  signer,
];

const accessLevel = async (id: string, grantee: string): Promise<unknown> =>
  norm(Array.from(await fx.consent.call<unknown[]>("accessLevel", [id, grantee])));
const grantOf = async (patient: string, scope: string, grantee: string): Promise<unknown> =>
  norm(Array.from(await fx.consent.call<unknown[]>("grantOf", [patient, scope, grantee])));
const shareOf = async (id: string): Promise<bigint> => BigInt(await fx.consent.call<bigint>("shareOf", [id]));
const request = (id: string, user: string = fx.operator2, purpose: string = hashOf("treatment")) =>
  fx.consent.send("requestAccess", [id, purpose], { user });
const classify = (id: string, category: string = CARDIO, user: string = fx.operator) =>
  fx.consent.send("classifyRecord", [id, category], { user });

describe("ConsentManager: setup and views", () => {
  it("owner, default policy, empty views", async () => {
    expect(lc(await fx.consent.call<string>("owner"))).toBe(fx.owner);
    expect(norm(Array.from(await fx.consent.call<unknown[]>("blacklistPolicy")))).toEqual([5n, DAY_MS]);
    expect(await fx.consent.call("categoryOf", [recordId])).toBe(ZERO_HASH);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([0n, 0n]);
    expect(await shareOf(recordId)).toBe(0n);
    expect(await grantOf(fx.patient.address, recordId, fx.hospital2.address)).toEqual([0n, 0n, false]);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(false);
    expect(BigInt(await fx.consent.call<bigint>("complaintCount"))).toBe(0n);
    expect(grantIdOf(fx.patient.address, recordId, fx.hospital2.address)).toBe(
      grantId(fx.patient.address, recordId, fx.hospital2.address),
    );
  });
});

describe("ConsentManager.classifyRecord", () => {
  it("the writing hospital classifies once", async () => {
    const r = await classify(recordId);
    expectEvents(fx.consent, r, [["RecordClassified", recordId, CARDIO, fx.hospital.address]]);
    expect(await fx.consent.call("categoryOf", [recordId])).toBe(CARDIO);
    await expectRevert(classify(recordId, categoryHash("oncology")), "ConsentManagerAlreadyClassified", [
      recordId,
      CARDIO,
    ]);
  });

  it("permission and argument checks", async () => {
    await expectRevert(classify(recordId, CARDIO, fx.stranger), "ConsentManagerNotHospitalOperator", [
      fx.stranger,
    ]);
    // the alliance owner is a relayer but operates no hospital
    await expectRevert(classify(recordId, CARDIO, fx.owner), "ConsentManagerNotHospitalOperator", [fx.owner]);
    await expectRevert(classify(recordId, CARDIO, fx.operator2), "ConsentManagerNotRecordHospital", [
      recordId,
      fx.hospital2.address,
    ]);
    await expectRevert(classify(hashOf("nope")), "ConsentManagerRecordNotFound", [hashOf("nope")]);
    await expectRevert(classify(recordId, ZERO_HASH), "ConsentManagerInvalidCategory", [ZERO_HASH]);
  });
});

describe("ConsentManager.grant", () => {
  it("the patient grants a record: AccessGranted, grantOf, accessLevel", async () => {
    const expiresAt = now() + DAY_MS;
    const { receipt, s } = await grantTx(fx, { scope: recordId, level: LEVEL.research, expiresAt });
    expectEvents(fx.consent, receipt, [accessGranted(recordId, KIND.record, LEVEL.research, expiresAt)]);
    expect(await grantOf(fx.patient.address, recordId, fx.hospital2.address)).toEqual([2n, expiresAt, false]);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([2n, expiresAt]);
    expect(await fx.consent.call("nonceUsed", [fx.patient.address, s.nonce])).toBe(true);
  });

  it("granting again replaces the grant", async () => {
    await grantTx(fx, { scope: recordId, level: LEVEL.research });
    const expiresAt = now() + 2n * DAY_MS;
    const { receipt } = await grantTx(fx, { scope: recordId, level: LEVEL.view, expiresAt });
    expectEvents(fx.consent, receipt, [accessGranted(recordId, KIND.record, LEVEL.view, expiresAt)]);
    expect(await grantOf(fx.patient.address, recordId, fx.hospital2.address)).toEqual([1n, expiresAt, false]);
    expect(await shareOf(recordId)).toBe(1n);
  });

  it("argument checks", async () => {
    await expectRevert(
      grantTx(fx, { scope: recordId, grantee: ZeroAddress }),
      "ConsentManagerZeroAddress",
      [],
    );
    await expectRevert(
      grantTx(fx, { scope: recordId, patient: ZeroAddress }),
      "ConsentManagerZeroAddress",
      [],
    );
    await expectRevert(grantTx(fx, { scope: recordId, scopeKind: 0 }), "ConsentManagerInvalidScopeKind", [0]);
    await expectRevert(grantTx(fx, { scope: recordId, scopeKind: 3 }), "ConsentManagerInvalidScopeKind", [3]);
    await expectRevert(
      grantTx(fx, { scope: ZERO_HASH, scopeKind: KIND.category }),
      "ConsentManagerInvalidScope",
      [ZERO_HASH],
    );
    await expectRevert(grantTx(fx, { scope: recordId, level: 0 }), "ConsentManagerInvalidLevel", [0]);
    await expectRevert(grantTx(fx, { scope: recordId, level: 3 }), "ConsentManagerInvalidLevel", [3]);
    const past = now() - 1000n;
    const e = await expectRevert(
      grantTx(fx, { scope: recordId, expiresAt: past }),
      "ConsentManagerInvalidExpiry",
    );
    expect(norm(e.errorArgs[0])).toBe(past);
    // a record grant must name a record of that patient
    await expectRevert(
      grantTx(fx, { scope: recordId, patient: fx.otherPatient.address }, { signer: fx.otherPatient }),
      "ConsentManagerNotRecordPatient",
      [recordId, fx.otherPatient.address],
    );
    await expectRevert(grantTx(fx, { scope: hashOf("unknown") }), "ConsentManagerNotRecordPatient", [
      hashOf("unknown"),
      fx.patient.address,
    ]);
  });

  it("permission matrix: relayers, patient, delegates in and out of scope and period, other patient", async () => {
    // non-relayer sender
    await expectRevert(grantTx(fx, { scope: recordId }, { user: fx.stranger }), "ConsentManagerNotRelayer", [
      fx.stranger,
    ]);
    // the alliance owner and either hospital's operator may relay
    await grantTx(fx, { scope: recordId }, { user: fx.owner });
    await grantTx(fx, { scope: recordId }, { user: fx.operator2 });

    // a stranger to the patient, and another patient, may not sign
    const nobody = newWallet();
    await expectRevert(grantTx(fx, { scope: recordId }, { signer: nobody }), "ConsentManagerNotAuthorized", [
      nobody.address,
      fx.patient.address,
      1,
    ]);
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: fx.otherPatient }),
      "ConsentManagerNotAuthorized",
      [fx.otherPatient.address, fx.patient.address, 1],
    );
    // claiming to be the patient with someone else's signature
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: nobody, signerAddress: fx.patient.address }),
      "SignatureInvalid",
      [fx.patient.address, nobody.address],
    );

    // a delegate without scope 1
    await delegateTx(fx, { scopes: 2 | 4 });
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: fx.delegate }),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.patient.address, 1],
    );
    // with scope 1, within the period
    await delegateTx(fx, { scopes: 1 });
    const expiresAt = now() + DAY_MS;
    const { receipt } = await grantTx(
      fx,
      { scope: CARDIO, scopeKind: KIND.category, grantee: fx.hospital.address, expiresAt },
      { signer: fx.delegate },
    );
    expectEvents(fx.consent, receipt, [
      accessGranted(CARDIO, KIND.category, LEVEL.view, expiresAt, fx.delegate.address, fx.hospital.address),
    ]);
    // the delegate of this patient is not the other patient's delegate
    await expectRevert(
      grantTx(
        fx,
        { scope: CARDIO, scopeKind: KIND.category, patient: fx.otherPatient.address },
        { signer: fx.delegate },
      ),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.otherPatient.address, 1],
    );
    // period not started yet
    await delegateTx(fx, { scopes: 1, validFrom: now() + DAY_MS, validUntil: now() + 2n * DAY_MS });
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: fx.delegate }),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.patient.address, 1],
    );
    // period over
    const until = now() + 800n;
    await delegateTx(fx, { scopes: 1, validFrom: now() - 1000n, validUntil: until });
    await sleep(Number(until - now()) + 200);
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: fx.delegate }),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.patient.address, 1],
    );
    // revoked
    await delegateTx(fx, { scopes: 7 });
    await grantTx(fx, { scope: recordId }, { signer: fx.delegate });
    await revokeDelegationTx(fx, fx.patient.address, fx.delegate.address);
    await expectRevert(
      grantTx(fx, { scope: recordId }, { signer: fx.delegate }),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.patient.address, 1],
    );
  });

  it("signature replay and expiry", async () => {
    const { s, g } = await grantTx(fx, { scope: recordId });
    await expectRevert(grantTx(fx, g, { sig: s }), "SignatureNonceUsed", [fx.patient.address, s.nonce]);
    const deadline = now() - 1n;
    const e = await expectRevert(grantTx(fx, { scope: recordId }, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
  });
});

describe("ConsentManager.revoke", () => {
  it("the patient revokes: AccessRevoked; not again", async () => {
    await grantTx(fx, { scope: recordId });
    const { receipt, s } = await revokeTx(fx, { scope: recordId });
    expectEvents(fx.consent, receipt, [accessRevoked(recordId)]);
    const g = (await grantOf(fx.patient.address, recordId, fx.hospital2.address)) as unknown[];
    expect(g[0]).toBe(1n);
    expect(g[2]).toBe(true);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([0n, 0n]);
    await expectRevert(revokeTx(fx, { scope: recordId }), "ConsentManagerGrantAlreadyRevoked", [
      fx.patient.address,
      recordId,
      fx.hospital2.address,
    ]);
    // granting again re-activates it; the old revocation signature cannot be replayed
    await grantTx(fx, { scope: recordId });
    await expectRevert(revokeTx(fx, { scope: recordId }, { sig: s }), "SignatureNonceUsed", [
      fx.patient.address,
      s.nonce,
    ]);
  });

  it("checks: no grant, relayer, signer authority, expiry", async () => {
    await expectRevert(revokeTx(fx, { scope: recordId }), "ConsentManagerGrantNotFound", [
      fx.patient.address,
      recordId,
      fx.hospital2.address,
    ]);
    await grantTx(fx, { scope: recordId });
    await expectRevert(revokeTx(fx, { scope: recordId }, { user: fx.stranger }), "ConsentManagerNotRelayer", [
      fx.stranger,
    ]);
    await expectRevert(
      revokeTx(fx, { scope: recordId }, { signer: fx.otherPatient }),
      "ConsentManagerNotAuthorized",
      [fx.otherPatient.address, fx.patient.address, 1],
    );
    await delegateTx(fx, { scopes: 4 });
    await expectRevert(
      revokeTx(fx, { scope: recordId }, { signer: fx.delegate }),
      "ConsentManagerNotAuthorized",
      [fx.delegate.address, fx.patient.address, 1],
    );
    const deadline = now() - 1n;
    const e = await expectRevert(revokeTx(fx, { scope: recordId }, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
    await delegateTx(fx, { scopes: 1 });
    const { receipt } = await revokeTx(fx, { scope: recordId }, { signer: fx.delegate });
    expectEvents(fx.consent, receipt, [accessRevoked(recordId, fx.delegate.address)]);
  });
});

describe("ConsentManager.requestAccess", () => {
  const purpose = hashOf("referral");
  const requested = (
    id: string,
    granted: boolean,
    reason: number,
    level: number,
    requester = fx.hospital2.address,
  ) => ["AccessRequested", id, requester, fx.patient.address, granted, reason, level, purpose];

  it("outcomes: no grant, record grant, category grant, best of both, revoked", async () => {
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.noGrant, 0),
    ]);
    expect(BigInt(await fx.consent.call<bigint>("deniedCount", [fx.hospital2.address]))).toBe(1n);

    await grantTx(fx, { scope: recordId, level: LEVEL.view });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.recordGrant, 1),
    ]);

    // a category grant covers the record once it is classified
    await grantTx(fx, { scope: CARDIO, scopeKind: KIND.category, level: LEVEL.research });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.recordGrant, 1),
    ]);
    await classify(recordId);
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.categoryGrant, 2),
    ]);
    await grantTx(fx, { scope: recordId, level: LEVEL.research });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.recordGrant, 2),
    ]);
    await revokeTx(fx, { scope: recordId });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.categoryGrant, 2),
    ]);
    await revokeTx(fx, { scope: CARDIO });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.noGrant, 0),
    ]);

    // a grant to another hospital does not help this one; the requester is the operator's hospital
    await grantTx(fx, { scope: recordId, grantee: fx.hospital.address });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.noGrant, 0),
    ]);
    expectEvents(fx.consent, await request(recordId, fx.operator, purpose), [
      requested(recordId, true, REASON.recordGrant, 1, fx.hospital.address),
    ]);
    expect(BigInt(await fx.consent.call<bigint>("deniedCount", [fx.hospital2.address]))).toBe(3n);
  });

  it("category grants apply to the patient's records in that category only", async () => {
    const other = await writeRecordOf(fx);
    await classify(recordId);
    await classify(other, categoryHash("oncology"));
    await grantTx(fx, { scope: CARDIO, scopeKind: KIND.category });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.categoryGrant, 1),
    ]);
    expectEvents(fx.consent, await request(other, fx.operator2, purpose), [
      requested(other, false, REASON.noGrant, 0),
    ]);
    expect(await accessLevel(other, fx.hospital2.address)).toEqual([0n, 0n]);
  });

  it("grant expiry: active, then expired (reason 11)", async () => {
    const expiresAt = now() + 1500n;
    await grantTx(fx, { scope: recordId, expiresAt });
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([1n, expiresAt]);
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, true, REASON.recordGrant, 1),
    ]);
    await sleep(Number(expiresAt - now()) + 200);
    // the devnode estimates gas at the latest block's time: mine one so the estimate sees the expiry
    await tick(fx);
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.expired, 0),
    ]);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([0n, 0n]);
    expect(await grantOf(fx.patient.address, recordId, fx.hospital2.address)).toEqual([1n, expiresAt, false]);
    // an expired category grant reports 11 too
    await revokeTx(fx, { scope: recordId });
    await classify(recordId);
    const catExpires = now() + 1000n;
    await grantTx(fx, { scope: CARDIO, scopeKind: KIND.category, expiresAt: catExpires });
    await sleep(Number(catExpires - now()) + 200);
    await tick(fx);
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.expired, 0),
    ]);
  });

  it("a deleted record is denied with reason 13 and has no share", async () => {
    await grantTx(fx, { scope: recordId });
    expect(await shareOf(recordId)).toBe(1n);
    await deleteRecord(fx, newDeletion(recordId));
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      requested(recordId, false, REASON.deleted, 0),
    ]);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([0n, 0n]);
    expect(await shareOf(recordId)).toBe(0n);
  });

  it("only a hospital's operator, only for a written record", async () => {
    await expectRevert(request(recordId, fx.stranger), "ConsentManagerNotHospitalOperator", [fx.stranger]);
    await expectRevert(request(recordId, fx.owner), "ConsentManagerNotHospitalOperator", [fx.owner]);
    await expectRevert(request(hashOf("nope")), "ConsentManagerRecordNotFound", [hashOf("nope")]);
  });
});

describe("ConsentManager.requestAccessFor", () => {
  const purpose = hashOf("audit");
  const requestFor = (id: string, requester: string, user: string = fx.owner) =>
    fx.consent.send("requestAccessFor", [id, requester, purpose], { user });

  it("decides for a person with a personal grant and counts that person's denials", async () => {
    const person = fx.doctor2.address;
    expectEvents(fx.consent, await requestFor(recordId, person), [
      ["AccessRequested", recordId, person, fx.patient.address, false, REASON.noGrant, 0, purpose],
    ]);
    expect(BigInt(await fx.consent.call<bigint>("deniedCount", [person]))).toBe(1n);
    await grantTx(fx, { scope: recordId, grantee: person, level: LEVEL.research });
    expectEvents(fx.consent, await requestFor(recordId, person), [
      ["AccessRequested", recordId, person, fx.patient.address, true, REASON.recordGrant, 2, purpose],
    ]);
    // the person's grant does not open the record to their hospital, nor the other way round
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      ["AccessRequested", recordId, fx.hospital2.address, fx.patient.address, false, REASON.noGrant, 0, purpose],
    ]);
  });

  it("only the owner may ask for someone else, for a known record and a non-zero requester", async () => {
    await expectRevert(requestFor(recordId, fx.doctor2.address, fx.operator2), "ConsentManagerNotOwner", [fx.operator2]);
    await expectRevert(requestFor(recordId, ZeroAddress), "ConsentManagerZeroAddress", []);
    await expectRevert(requestFor(hashOf("nope"), fx.doctor2.address), "ConsentManagerRecordNotFound", [hashOf("nope")]);
  });
});

describe("ConsentManager.requestAccessUnderPolicy", () => {
  const purpose = hashOf("treatment");
  // The account standing for a policy such as "role:doctor AND dept:cardiology" (the sdk's
  // policyGranteeOf derives it from the policy); to the contract it is an ordinary grantee nobody sends from.
  let policyAccount: string;
  let doctor: string;
  beforeEach(() => {
    policyAccount = newWallet().address;
    doctor = fx.doctor2.address;
  });
  const requestUnder = (
    id: string = recordId,
    requester: string = doctor,
    user: string = fx.owner,
    policyGrantee: string = policyAccount,
  ) => fx.consent.send("requestAccessUnderPolicy", [id, requester, policyGrantee, purpose], { user });
  const requested = (granted: boolean, reason: number, level: number, requester: string = doctor) => [
    "AccessRequested",
    recordId,
    requester,
    fx.patient.address,
    granted,
    reason,
    level,
    purpose,
  ];
  /** The same doctor asking in their own name, under personal grants only. */
  const requestForDoctor = () =>
    fx.consent.send("requestAccessFor", [recordId, doctor, purpose], { user: fx.owner });
  const deniedCount = async (a: string): Promise<bigint> =>
    BigInt(await fx.consent.call<bigint>("deniedCount", [a]));

  it("an active policy grant opens the record to the requester, at the grant's level", async () => {
    await grantTx(fx, { scope: recordId, grantee: policyAccount, level: LEVEL.research });
    expectEvents(fx.consent, await requestUnder(), [requested(true, REASON.recordGrant, LEVEL.research)]);
    // the policy grant is not a personal grant of the doctor
    expectEvents(fx.consent, await requestForDoctor(), [requested(false, REASON.noGrant, 0)]);
  });

  it("a revoked policy grant is denied with reason 10 (no grant)", async () => {
    await grantTx(fx, { scope: recordId, grantee: policyAccount });
    await revokeTx(fx, { scope: recordId, grantee: policyAccount });
    expectEvents(fx.consent, await requestUnder(), [requested(false, REASON.noGrant, 0)]);
  });

  it("an expired policy grant is denied with reason 11", async () => {
    const expiresAt = now() + 1500n;
    await grantTx(fx, { scope: recordId, grantee: policyAccount, expiresAt });
    expectEvents(fx.consent, await requestUnder(), [requested(true, REASON.recordGrant, LEVEL.view)]);
    await sleep(Number(expiresAt - now()) + 200);
    // the devnode estimates gas at the latest block's time: mine one so the estimate sees the expiry
    await tick(fx);
    expectEvents(fx.consent, await requestUnder(), [requested(false, REASON.expired, 0)]);
  });

  it("a category policy grant covers the patient's records in that category", async () => {
    await grantTx(fx, { scope: CARDIO, scopeKind: KIND.category, grantee: policyAccount });
    // not yet: the record is in no category
    expectEvents(fx.consent, await requestUnder(), [requested(false, REASON.noGrant, 0)]);
    await classify(recordId);
    expectEvents(fx.consent, await requestUnder(), [requested(true, REASON.categoryGrant, LEVEL.view)]);
    await deleteRecord(fx, newDeletion(recordId));
    expectEvents(fx.consent, await requestUnder(), [requested(false, REASON.deleted, 0)]);
  });

  it("only the owner may ask, for a known record, a non-zero requester and a non-zero policy account", async () => {
    await expectRevert(requestUnder(recordId, doctor, fx.operator2), "ConsentManagerNotOwner", [
      fx.operator2,
    ]);
    await expectRevert(requestUnder(recordId, ZeroAddress), "ConsentManagerZeroAddress", []);
    await expectRevert(
      requestUnder(recordId, doctor, fx.owner, ZeroAddress),
      "ConsentManagerZeroAddress",
      [],
    );
    await expectRevert(requestUnder(hashOf("nope")), "ConsentManagerRecordNotFound", [hashOf("nope")]);
  });

  it("a blacklisted requester is denied with reason 12 under an active policy grant, and not counted again", async () => {
    await fx.consent.send("setBlacklistPolicy", [1, DAY_MS], { user: fx.owner });
    await requestForDoctor();
    expect(await fx.consent.call("isBlacklisted", [doctor])).toBe(true);
    await grantTx(fx, { scope: recordId, grantee: policyAccount });
    expectEvents(fx.consent, await requestUnder(), [requested(false, REASON.blacklisted, 0)]);
    expect(await deniedCount(doctor)).toBe(1n);
  });

  it("a denial counts for the requester, not the policy account: other readers under the policy are unaffected", async () => {
    await fx.consent.send("setBlacklistPolicy", [1, DAY_MS], { user: fx.owner });
    const denial = await requestUnder();
    expectEvents(fx.consent, denial, [
      requested(false, REASON.noGrant, 0),
      ["Blacklisted", doctor, 1n, await blockTimeOf(fx, denial)],
    ]);
    expect(await deniedCount(doctor)).toBe(1n);
    expect(await deniedCount(policyAccount)).toBe(0n);
    expect(await fx.consent.call("isBlacklisted", [policyAccount])).toBe(false);

    await grantTx(fx, { scope: recordId, grantee: policyAccount });
    const otherDoctor = fx.doctor.address;
    expectEvents(fx.consent, await requestUnder(recordId, otherDoctor), [
      requested(true, REASON.recordGrant, LEVEL.view, otherDoctor),
    ]);
  });
});

describe("ConsentManager.shareOf", () => {
  it("worked example: hospitals at level 1 and 2 plus a person → 1+2+1 = 4; expired and revoked not counted", async () => {
    const person = newWallet().address;
    const revoked = newWallet().address;
    const expiring = newWallet().address;
    await classify(recordId);
    // hospital A: record grant, level 1
    await grantTx(fx, { scope: recordId, grantee: fx.hospital.address, level: LEVEL.view });
    // hospital B: record grant level 1 and category grant level 2 → counted once, at 2
    await grantTx(fx, { scope: recordId, grantee: fx.hospital2.address, level: LEVEL.view });
    await grantTx(fx, {
      scope: CARDIO,
      scopeKind: KIND.category,
      grantee: fx.hospital2.address,
      level: LEVEL.research,
    });
    // a person: record grant, level 1
    await grantTx(fx, { scope: recordId, grantee: person, level: LEVEL.view });
    expect(await shareOf(recordId)).toBe(4n);
    // a revoked research grant does not count
    await grantTx(fx, { scope: recordId, grantee: revoked, level: LEVEL.research });
    expect(await shareOf(recordId)).toBe(6n);
    await revokeTx(fx, { scope: recordId, grantee: revoked });
    expect(await shareOf(recordId)).toBe(4n);
    // an expiring category grant counts until it expires
    const expiresAt = now() + 1200n;
    await grantTx(fx, {
      scope: CARDIO,
      scopeKind: KIND.category,
      grantee: expiring,
      level: LEVEL.research,
      expiresAt,
    });
    expect(await shareOf(recordId)).toBe(6n);
    await sleep(Number(expiresAt - now()) + 200);
    await tick(fx);
    expect(await shareOf(recordId)).toBe(4n);
    expect(await accessLevel(recordId, fx.hospital2.address)).toEqual([
      2n,
      ((await grantOf(fx.patient.address, CARDIO, fx.hospital2.address)) as bigint[])[1],
    ]);
    // another patient's grants on the same category do not count for this record
    await grantTx(
      fx,
      {
        scope: CARDIO,
        scopeKind: KIND.category,
        patient: fx.otherPatient.address,
        grantee: newWallet().address,
      },
      { signer: fx.otherPatient },
    );
    expect(await shareOf(recordId)).toBe(4n);
    expect(await shareOf(hashOf("unknown"))).toBe(0n);
  });
});

describe("ConsentManager blacklist", () => {
  it("policy: owner only, validated", async () => {
    const r = await fx.consent.send("setBlacklistPolicy", [3, 60_000], { user: fx.owner });
    expectEvents(fx.consent, r, [["BlacklistPolicySet", 3n, 60_000n]]);
    expect(norm(Array.from(await fx.consent.call<unknown[]>("blacklistPolicy")))).toEqual([3n, 60_000n]);
    await expectPolicySetterChecks(fx, fx.consent, "setBlacklistPolicy", "ConsentManager", [3, 60_000]);
  });

  it("N denials within the window blacklist; then even a granted request is denied (12); an admin lifts it", async () => {
    await fx.consent.send("setBlacklistPolicy", [3, 60_000], { user: fx.owner });
    const purpose = hashOf("fishing");
    const first = await request(recordId, fx.operator2, purpose);
    const windowStart = await blockTimeOf(fx, first);
    await request(recordId, fx.operator2, purpose);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(false);
    const third = await request(recordId, fx.operator2, purpose);
    expectEvents(fx.consent, third, [
      [
        "AccessRequested",
        recordId,
        fx.hospital2.address,
        fx.patient.address,
        false,
        REASON.noGrant,
        0,
        purpose,
      ],
      ["Blacklisted", fx.hospital2.address, 3n, windowStart],
    ]);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(true);
    // other hospitals are unaffected
    expect(await fx.consent.call("isBlacklisted", [fx.hospital.address])).toBe(false);

    await grantTx(fx, { scope: recordId });
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      [
        "AccessRequested",
        recordId,
        fx.hospital2.address,
        fx.patient.address,
        false,
        REASON.blacklisted,
        0,
        purpose,
      ],
    ]);
    expect(BigInt(await fx.consent.call<bigint>("deniedCount", [fx.hospital2.address]))).toBe(3n);

    // lifting: relayer, admin signature, checks
    await expectRevert(liftTx(fx, fx.hospital2.address, { user: fx.stranger }), "ConsentManagerNotRelayer", [
      fx.stranger,
    ]);
    const notAdmin = newWallet();
    await expectRevert(liftTx(fx, fx.hospital2.address, { signer: notAdmin }), "ConsentManagerNotAdmin", [
      notAdmin.address,
    ]);
    // a patient cannot lift either
    await expectRevert(liftTx(fx, fx.hospital2.address, { signer: fx.patient }), "ConsentManagerNotAdmin", [
      fx.patient.address,
    ]);
    const deadline = now() - 1n;
    const e = await expectRevert(liftTx(fx, fx.hospital2.address, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
    await expectRevert(liftTx(fx, fx.hospital.address), "ConsentManagerNotBlacklisted", [
      fx.hospital.address,
    ]);

    const { receipt, s } = await liftTx(fx, fx.hospital2.address);
    expectEvents(fx.consent, receipt, [["BlacklistLifted", fx.hospital2.address, fx.admin.address]]);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(false);
    expect(BigInt(await fx.consent.call<bigint>("deniedCount", [fx.hospital2.address]))).toBe(0n);
    expectEvents(fx.consent, await request(recordId, fx.operator2, purpose), [
      [
        "AccessRequested",
        recordId,
        fx.hospital2.address,
        fx.patient.address,
        true,
        REASON.recordGrant,
        1,
        purpose,
      ],
    ]);

    // earlier denials no longer count: three new ones are needed
    const other = await writeRecordOf(fx);
    await request(other, fx.operator2, purpose);
    await request(other, fx.operator2, purpose);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(false);
    await request(other, fx.operator2, purpose);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(true);
    // the used lift signature cannot be replayed
    await expectRevert(liftTx(fx, fx.hospital2.address, { sig: s }), "SignatureNonceUsed", [
      fx.admin.address,
      s.nonce,
    ]);
  });

  it("denials outside the window do not add up", async () => {
    await fx.consent.send("setBlacklistPolicy", [2, 1500], { user: fx.owner });
    await request(recordId);
    await sleep(1700);
    const r = await request(recordId);
    expect(fx.consent.decodeLogs(r).map((l) => l.name)).toEqual(["AccessRequested"]);
    expect(await fx.consent.call("isBlacklisted", [fx.hospital2.address])).toBe(false);
    const r2 = await request(recordId);
    expect(fx.consent.decodeLogs(r2).map((l) => l.name)).toEqual(["AccessRequested", "Blacklisted"]);
  });
});

describe("ConsentManager.fileComplaint", () => {
  it("the patient or a delegate with scope 4 files; ids count up", async () => {
    const subject = hashOf(`hospital ${fx.hospital2.address}`);
    const evidenceHash = hashOf("screenshots");
    const { receipt } = await complaintTx(fx, { subject, evidenceHash });
    expectEvents(fx.consent, receipt, [
      ["ComplaintFiled", 1n, fx.patient.address, subject, evidenceHash, fx.patient.address],
    ]);
    const c = norm(Array.from(await fx.consent.call<unknown[]>("complaintOf", [1]))) as unknown[];
    expect(c.slice(0, 4)).toEqual(norm([fx.patient.address, subject, evidenceHash, fx.patient.address]));
    expect(c[4]).toBe(await blockTimeOf(fx, receipt));

    await delegateTx(fx, { scopes: 4 });
    const r2 = await complaintTx(fx, {}, { signer: fx.delegate });
    expectEvents(fx.consent, r2.receipt, [
      ["ComplaintFiled", 2n, fx.patient.address, r2.subject, r2.evidenceHash, fx.delegate.address],
    ]);
    expect(BigInt(await fx.consent.call<bigint>("complaintCount"))).toBe(2n);
  });

  it("checks", async () => {
    await expectRevert(complaintTx(fx, {}, { user: fx.stranger }), "ConsentManagerNotRelayer", [fx.stranger]);
    await expectRevert(complaintTx(fx, { patient: ZeroAddress }), "ConsentManagerZeroAddress", []);
    await expectRevert(complaintTx(fx, { subject: ZERO_HASH }), "ConsentManagerInvalidComplaint", [
      ZERO_HASH,
      hashOf("evidence"),
    ]);
    await expectRevert(complaintTx(fx, { evidenceHash: ZERO_HASH }), "ConsentManagerInvalidComplaint", [
      hashOf("subject"),
      ZERO_HASH,
    ]);
    await delegateTx(fx, { scopes: 1 | 2 });
    await expectRevert(complaintTx(fx, {}, { signer: fx.delegate }), "ConsentManagerNotAuthorized", [
      fx.delegate.address,
      fx.patient.address,
      4,
    ]);
    await expectRevert(complaintTx(fx, {}, { signer: fx.otherPatient }), "ConsentManagerNotAuthorized", [
      fx.otherPatient.address,
      fx.patient.address,
      4,
    ]);
    const { s } = await complaintTx(fx);
    await expectRevert(complaintTx(fx, {}, { sig: s }), "SignatureNonceUsed", [fx.patient.address, s.nonce]);
    const deadline = now() - 1n;
    const e = await expectRevert(complaintTx(fx, {}, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
  });
});
