import { beforeEach, describe, expect, it } from "vitest";
import {
  DAY_MS,
  ZeroAddress,
  chainPerTestFile,
  deployConsentFixture,
  delegateTx,
  eventsOf,
  expectEvents,
  expectRevert,
  lc,
  newWallet,
  norm,
  now,
  revokeDelegationTx,
  signDelegation,
  sleep,
  tick,
  type ConsentFixture,
} from "./consent-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();
let fx: ConsentFixture;
beforeEach(async () => {
  fx = await deployConsentFixture(chain);
});

const isDelegate = async (patient: string, delegate: string, scope: number): Promise<boolean> =>
  fx.delegation.call<boolean>("isDelegate", [patient, delegate, scope]);
const delegationOf = async (patient: string, delegate: string): Promise<unknown> =>
  norm(Array.from(await fx.delegation.call<unknown[]>("delegationOf", [patient, delegate])));

describe("PatientDelegation", () => {
  it("knows its alliance and domain", async () => {
    expect(lc(await fx.delegation.call<string>("allianceRegistry"))).toBe(fx.alliance.address);
  });

  it("delegate: records the delegation and emits DelegationGranted", async () => {
    const validFrom = now() - 1000n;
    const validUntil = now() + DAY_MS;
    const { receipt, s } = await delegateTx(fx, { scopes: 5, validFrom, validUntil });
    expectEvents(fx.delegation, receipt, [
      ["DelegationGranted", fx.patient.address, fx.delegate.address, 5n, validFrom, validUntil],
    ]);
    expect(await delegationOf(fx.patient.address, fx.delegate.address)).toEqual([
      5n,
      validFrom,
      validUntil,
      false,
    ]);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(true);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 4)).toBe(true);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 5)).toBe(true);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 2)).toBe(false);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 0)).toBe(false);
    expect(await fx.delegation.call("nonceUsed", [fx.patient.address, s.nonce])).toBe(true);
  });

  it("delegate: the owner account relays too; a non-relayer may not", async () => {
    const r = await delegateTx(fx, {}, { user: fx.owner });
    expect(eventsOf(fx.delegation, r.receipt)[0]![0]).toBe("DelegationGranted");
    await expectRevert(delegateTx(fx, {}, { user: fx.stranger }), "PatientDelegationNotRelayer", [
      fx.stranger,
    ]);
  });

  it("delegate: argument checks", async () => {
    await expectRevert(delegateTx(fx, { delegate: ZeroAddress }), "PatientDelegationZeroAddress", []);
    await expectRevert(delegateTx(fx, { patient: ZeroAddress }), "PatientDelegationZeroAddress", []);
    await expectRevert(delegateTx(fx, { delegate: fx.patient.address }), "PatientDelegationSelfDelegation", [
      fx.patient.address,
    ]);
    await expectRevert(delegateTx(fx, { scopes: 0 }), "PatientDelegationInvalidScopes", [0]);
    await expectRevert(delegateTx(fx, { scopes: 8 }), "PatientDelegationInvalidScopes", [8]);
    const t = now() + DAY_MS;
    const e = await expectRevert(
      delegateTx(fx, { validFrom: t, validUntil: t }),
      "PatientDelegationInvalidPeriod",
    );
    expect(norm(e.errorArgs.slice(0, 2))).toEqual([t, t]);
    const past = now() - 10_000n;
    const e2 = await expectRevert(
      delegateTx(fx, { validFrom: past - 1000n, validUntil: past }),
      "PatientDelegationInvalidPeriod",
    );
    expect(norm(e2.errorArgs.slice(0, 2))).toEqual([past - 1000n, past]);
  });

  it("delegate: only the patient's own signature counts", async () => {
    const other = newWallet();
    await expectRevert(delegateTx(fx, {}, { signer: other }), "SignatureInvalid", [
      fx.patient.address,
      other.address,
    ]);
    // the delegate cannot delegate on the patient's behalf either
    await expectRevert(delegateTx(fx, {}, { signer: fx.delegate }), "SignatureInvalid", [
      fx.patient.address,
      fx.delegate.address,
    ]);
  });

  it("delegate: signature replay and expiry", async () => {
    const { s, d } = await delegateTx(fx);
    await expectRevert(delegateTx(fx, d, { sig: s }), "SignatureNonceUsed", [fx.patient.address, s.nonce]);
    const deadline = now() - 1n;
    const e = await expectRevert(delegateTx(fx, {}, { deadline }), "SignatureExpired");
    expect(norm(e.errorArgs[0])).toBe(deadline);
  });

  it("delegate again replaces the delegation (and clears a revocation)", async () => {
    await delegateTx(fx, { scopes: 1 });
    await revokeDelegationTx(fx, fx.patient.address, fx.delegate.address);
    const validFrom = now() - 5n;
    const validUntil = now() + 2n * DAY_MS;
    await delegateTx(fx, { scopes: 6, validFrom, validUntil });
    expect(await delegationOf(fx.patient.address, fx.delegate.address)).toEqual([
      6n,
      validFrom,
      validUntil,
      false,
    ]);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(false);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 2)).toBe(true);
  });

  it("isDelegate respects the period: not yet valid, then valid, then over", async () => {
    const validFrom = now() + 1500n;
    const validUntil = validFrom + 1500n;
    await delegateTx(fx, { scopes: 1, validFrom, validUntil });
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(false);
    await sleep(Number(validFrom - now()) + 200);
    await tick(fx);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(true);
    await sleep(Number(validUntil - now()) + 200);
    await tick(fx);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(false);
  });

  it("isDelegate is per patient: another patient's delegate is not this patient's", async () => {
    await delegateTx(fx, { patient: fx.otherPatient.address }, { signer: fx.otherPatient });
    expect(await isDelegate(fx.otherPatient.address, fx.delegate.address, 1)).toBe(true);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(false);
  });

  it("revokeDelegation: emits DelegationRevoked and ends it", async () => {
    await delegateTx(fx);
    const { receipt, s } = await revokeDelegationTx(fx, fx.patient.address, fx.delegate.address);
    expectEvents(fx.delegation, receipt, [["DelegationRevoked", fx.patient.address, fx.delegate.address]]);
    expect(await isDelegate(fx.patient.address, fx.delegate.address, 1)).toBe(false);
    const d = (await delegationOf(fx.patient.address, fx.delegate.address)) as unknown[];
    expect(d[3]).toBe(true);
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address),
      "PatientDelegationAlreadyRevoked",
      [fx.patient.address, fx.delegate.address],
    );
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { sig: s }),
      "PatientDelegationAlreadyRevoked",
      [fx.patient.address, fx.delegate.address],
    );
  });

  it("revokeDelegation: checks", async () => {
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address),
      "PatientDelegationNotFound",
      [fx.patient.address, fx.delegate.address],
    );
    await delegateTx(fx);
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { user: fx.stranger }),
      "PatientDelegationNotRelayer",
      [fx.stranger],
    );
    // the delegate cannot revoke; nor another patient
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { signer: fx.delegate }),
      "SignatureInvalid",
      [fx.patient.address, fx.delegate.address],
    );
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { signer: fx.otherPatient }),
      "SignatureInvalid",
      [fx.patient.address, fx.otherPatient.address],
    );
    const deadline = now() - 1n;
    const e = await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { deadline }),
      "SignatureExpired",
    );
    expect(norm(e.errorArgs[0])).toBe(deadline);
    // a nonce used for the delegation cannot be reused for the revocation
    const { s } = await delegateTx(fx, { delegate: newWallet().address });
    await expectRevert(
      revokeDelegationTx(fx, fx.patient.address, fx.delegate.address, { nonce: s.nonce }),
      "SignatureNonceUsed",
      [fx.patient.address, s.nonce],
    );
  });

  it("signatures are bound to this contract's domain", async () => {
    const d = {
      patient: fx.patient.address,
      delegate: fx.delegate.address,
      scopes: 1,
      validFrom: now(),
      validUntil: now() + DAY_MS,
    };
    const s = await signDelegation(fx, fx.patient, d);
    const e = await expectRevert(
      fx.delegation.send("delegate", [
        d.patient,
        d.delegate,
        2,
        d.validFrom,
        d.validUntil,
        s.nonce,
        s.deadline,
        s.sig,
      ]),
      "SignatureInvalid",
    );
    expect(lc(String(e.errorArgs[0]))).toBe(lc(fx.patient.address));
  });
});
