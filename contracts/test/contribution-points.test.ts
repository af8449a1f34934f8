import { describe, expect, it } from "vitest";
import { ZeroAddress } from "ethers";
import { CallRevertError } from "@yyl/sdk";
import { RARITY, TIERS, VALUE, pointsTenths, tierOf } from "../../sdk/src/points.ts";
import { GRANT_LEVEL, SCOPE_KIND, categoryOf } from "../../sdk/src/typed/consent.ts";
import {
  DECISION,
  chainPerTestFile,
  decide,
  deleteRecord,
  expectEvents,
  expectRevert,
  hashOf,
  lc,
  newAccount,
  newDeletion,
  newWallet,
  norm,
  now,
} from "./fixture.ts";
import {
  grantAccess,
  newSharedRecord,
  pointsFixture,
  rate,
  revokeAccess,
  settle,
  type PointsFixture,
} from "./points-fixture.ts";

// One devnode for this file; every test deploys its own contracts on it.
const chain = chainPerTestFile();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function view(fx: PointsFixture, fn: string, args: unknown[]): Promise<unknown[]> {
  return norm(Array.from(await fx.points.call<unknown[]>(fn, args))) as unknown[];
}

/** Expects PointsSettled with these values and returns nothing; also checks the views agree. */
async function expectSettled(
  fx: PointsFixture,
  recordId: string,
  s: { share: bigint; v: number; r: number; points: bigint; total: bigint; tier: number },
  user?: string,
): Promise<void> {
  const receipt = await settle(fx, recordId, user);
  expectEvents(fx.points, receipt, [
    ["PointsSettled", recordId, fx.patient.address, s.share, s.v, s.r, s.points, s.total, s.tier],
  ]);
  expect(await view(fx, "recordPointsOf", [recordId])).toEqual(norm([s.points, s.share, s.v, s.r]));
  expect(await view(fx, "pointsOf", [fx.patient.address])).toEqual(
    norm([s.total, s.tier, TIERS[s.tier]!.perks]),
  );
}

describe("ContributionPoints.rate", () => {
  it("a hospital holding an active record grant rates; the latest rating counts", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.view);
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.research);
    expect(await view(fx, "ratingOf", [id])).toEqual(norm([0, 0, ZeroAddress, 0n]));

    const before = now();
    let r = await rate(fx, id, 1, 2, fx.operator2);
    expectEvents(fx.points, r, [["RecordRated", id, fx.hospital2.address, 1, 2]]);
    const [v, rr, h, at] = await view(fx, "ratingOf", [id]);
    expect([v, rr, h]).toEqual(norm([1, 2, fx.hospital2.address]));
    expect((at as bigint) >= before - 120_000n && (at as bigint) <= now() + 120_000n).toBe(true);

    r = await rate(fx, id, 3, 1, fx.operator3);
    expectEvents(fx.points, r, [["RecordRated", id, fx.hospital3.address, 3, 1]]);
    expect((await view(fx, "ratingOf", [id])).slice(0, 3)).toEqual(norm([3, 1, fx.hospital3.address]));
    // rating alone does not move points
    expect(await view(fx, "recordPointsOf", [id])).toEqual(norm([0n, 0n, 0, 0]));
    expect(await view(fx, "pointsOf", [fx.patient.address])).toEqual(norm([0n, 0, 0]));
  });

  it("a category grant covering the record counts as an active grant", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    const cardiology = categoryOf("cardiology");
    await fx.consent.send("classifyRecord", [id, cardiology]); // by the writing hospital's operator
    await grantAccess(fx, cardiology, fx.hospital2.address, GRANT_LEVEL.view, {
      scopeKind: SCOPE_KIND.category,
    });
    const r = await rate(fx, id, 2, 2, fx.operator2);
    expectEvents(fx.points, r, [["RecordRated", id, fx.hospital2.address, 2, 2]]);
  });

  it("no grant, an expired grant, a revoked grant → ContributionPointsNoActiveGrant(recordId, hospital)", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    // no grant at all (the writing hospital holds none either)
    await expectRevert(rate(fx, id, 1, 1, fx.operator2), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital2.address,
    ]);
    await expectRevert(rate(fx, id, 1, 1, fx.operator), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital.address,
    ]);
    // a grant to someone else does not help
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.research);
    await expectRevert(rate(fx, id, 1, 1, fx.operator2), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital2.address,
    ]);

    // expired
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.research, { expiresAt: now() + 1_500n });
    await rate(fx, id, 2, 2, fx.operator2); // still active
    await sleep(1_800);
    await expectRevert(rate(fx, id, 1, 1, fx.operator2), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital2.address,
    ]);

    // revoked
    await rate(fx, id, 3, 3, fx.operator3);
    await revokeAccess(fx, id, fx.hospital3.address);
    await expectRevert(rate(fx, id, 1, 1, fx.operator3), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital3.address,
    ]);
    // the refused ratings changed nothing
    expect((await view(fx, "ratingOf", [id])).slice(0, 3)).toEqual(norm([3, 3, fx.hospital3.address]));
    // granting again restores the right to rate
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.view);
    await rate(fx, id, 1, 3, fx.operator3);
  });

  it("levels outside 1–3 → ContributionPointsInvalidLevel(value, rarity)", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.view);
    for (const [v, r] of [
      [0, 1],
      [1, 0],
      [4, 1],
      [1, 4],
      [0, 0],
      [255, 255],
    ] as const) {
      await expectRevert(rate(fx, id, v, r, fx.operator2), "ContributionPointsInvalidLevel", [v, r]);
    }
    // the boundaries are fine
    await rate(fx, id, 1, 3, fx.operator2);
    await rate(fx, id, 3, 1, fx.operator2);
  });

  it("only an approved hospital's operator; the record must exist", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.view);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(rate(fx, id, 1, 1, stranger), "ContributionPointsNotHospitalOperator", [stranger]);
    // the alliance's owner relays but is no hospital
    await expectRevert(rate(fx, id, 1, 1, fx.owner), "ContributionPointsNotHospitalOperator", [fx.owner]);
    const unknown = hashOf("no such record");
    await expectRevert(rate(fx, unknown, 1, 1, fx.operator2), "ContributionPointsUnknownRecord", [unknown]);
    // a revoked hospital's operator no longer rates
    await decide(fx, fx.hospital2.address, DECISION.revoke);
    await expectRevert(rate(fx, id, 1, 1, fx.operator2), "ContributionPointsNotHospitalOperator", [
      fx.operator2,
    ]);
  });
});

describe("ContributionPoints.settle", () => {
  it("worked example: share 3 (view + research), value 2, rarity 3 → 164 tenths", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.view); // +1
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.research); // +2
    expect(await fx.consent.call("shareOf", [id])).toBe(3n);
    await rate(fx, id, 2, 3, fx.operator2);

    const expected = 3n * 3n + 4n * 20n + 3n * 25n; // 0.3·3 + 0.4·20 + 0.3·25 = 16.4 points
    expect(expected).toBe(164n);
    expect(pointsTenths(3, 2, 3)).toBe(expected);
    await expectSettled(fx, id, { share: 3n, v: 2, r: 3, points: 164n, total: 164n, tier: 0 });
    // settling again without a change moves nothing
    await expectSettled(fx, id, { share: 3n, v: 2, r: 3, points: 164n, total: 164n, tier: 0 }, fx.owner);
  });

  it("re-settling after a new grant or a new rating moves the total by the difference only", async () => {
    const fx = await pointsFixture(chain);
    const a = await newSharedRecord(fx);
    const b = await newSharedRecord(fx);
    await grantAccess(fx, a, fx.hospital2.address, GRANT_LEVEL.research);
    await rate(fx, a, 1, 1, fx.operator2);
    const a1 = 3n * 2n + 4n * 5n + 3n * 5n; // 41
    expect(pointsTenths(2, 1, 1)).toBe(a1);
    await expectSettled(fx, a, { share: 2n, v: 1, r: 1, points: a1, total: a1, tier: 0 });

    await grantAccess(fx, b, fx.hospital3.address, GRANT_LEVEL.view);
    await rate(fx, b, 3, 2, fx.operator3);
    const b1 = 3n * 1n + 4n * 30n + 3n * 15n; // 168
    expect(pointsTenths(1, 3, 2)).toBe(b1);
    await expectSettled(fx, b, { share: 1n, v: 3, r: 2, points: b1, total: a1 + b1, tier: 0 });

    // a new grant on a (a person this time: any grantee counts toward the share)
    await grantAccess(fx, a, newWallet().address, GRANT_LEVEL.research);
    const a2 = 3n * 4n + 4n * 5n + 3n * 5n; // 47
    expect(pointsTenths(4, 1, 1)).toBe(a2);
    await expectSettled(fx, a, { share: 4n, v: 1, r: 1, points: a2, total: a2 + b1, tier: 0 });
    expect(a2 + b1 - (a1 + b1)).toBe(6n); // moved by the difference only

    // a new rating on a
    await rate(fx, a, 3, 3, fx.operator2);
    const a3 = 3n * 4n + 4n * 30n + 3n * 25n; // 207
    expect(pointsTenths(4, 3, 3)).toBe(a3);
    await expectSettled(fx, a, { share: 4n, v: 3, r: 3, points: a3, total: a3 + b1, tier: 0 });

    // replacing a grant's level counts once per grantee
    await grantAccess(fx, b, fx.hospital3.address, GRANT_LEVEL.research);
    const b2 = pointsTenths(2, 3, 2);
    expect(b2).toBe(3n * 2n + 4n * 30n + 3n * 15n);
    await expectSettled(fx, b, { share: 2n, v: 3, r: 2, points: b2, total: a3 + b2, tier: 0 });

    // revoking moves the total down by the difference; with no grant left the record earns nothing
    await revokeAccess(fx, b, fx.hospital3.address);
    expect(await fx.consent.call("shareOf", [b])).toBe(0n);
    expect(pointsTenths(0, 3, 2)).toBe(0n);
    await expectSettled(fx, b, { share: 0n, v: 3, r: 2, points: 0n, total: a3, tier: 0 });
  });

  it("an unrated shared record earns its share only", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await expectSettled(fx, id, { share: 0n, v: 0, r: 0, points: 0n, total: 0n, tier: 0 });
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.research);
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.research);
    expect(pointsTenths(4, 0, 0)).toBe(12n);
    await expectSettled(fx, id, { share: 4n, v: 0, r: 0, points: 12n, total: 12n, tier: 0 });
  });

  it("a deleted record has no share and no active grant: it settles to 0 and cannot be rated", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.research);
    await rate(fx, id, 2, 2, fx.operator2);
    const p = pointsTenths(2, 2, 2);
    expect(p).toBe(3n * 2n + 4n * 20n + 3n * 15n);
    await expectSettled(fx, id, { share: 2n, v: 2, r: 2, points: p, total: p, tier: 0 });
    await deleteRecord(fx, newDeletion(id));
    await expectRevert(rate(fx, id, 3, 3, fx.operator2), "ContributionPointsNoActiveGrant", [
      id,
      fx.hospital2.address,
    ]);
    await expectSettled(fx, id, { share: 0n, v: 2, r: 2, points: 0n, total: 0n, tier: 0 });
  });

  it("any relayer settles; others and unknown records are refused", async () => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    const stranger = await newAccount(chain, "stranger");
    await expectRevert(settle(fx, id, stranger), "ContributionPointsNotRelayer", [stranger]);
    const unknown = hashOf("no such record");
    await expectRevert(settle(fx, unknown), "ContributionPointsUnknownRecord", [unknown]);
    await settle(fx, id, fx.owner);
    await settle(fx, id, fx.operator3);
  });

  it("tier crossing: 普通 → 银 at 1000 tenths → 金 at 5000 → 钻石 at 20000, and back down on revocation", async () => {
    const fx = await pointsFixture(chain);
    const perRecord = 3n * 2n + 4n * 30n + 3n * 25n; // share 2, value 3, rarity 3 = 201
    expect(pointsTenths(2, 3, 3)).toBe(perRecord);
    let total = 0n;
    const crossings: [number, number, number][] = []; // [records settled, new tier, perks]
    const ids: string[] = [];
    while (total < 20000n) {
      const id = await newSharedRecord(fx);
      ids.push(id);
      await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.research);
      await rate(fx, id, 3, 3, fx.operator2);
      const previousTier = tierOf(total).tier;
      total += perRecord;
      const tier = tierOf(total).tier;
      await expectSettled(fx, id, { share: 2n, v: 3, r: 3, points: perRecord, total, tier });
      if (tier !== previousTier) crossings.push([ids.length, tier, TIERS[tier]!.perks]);
    }
    // 4 · 201 = 804 < 1000 ≤ 5 · 201 = 1005: 银, queue priority; 24 · 201 = 4824 < 5000 ≤ 5025: 金, +appointment;
    // 20100: 钻石, all four perks
    expect(crossings).toEqual([
      [5, 1, 1],
      [25, 2, 3],
      [100, 3, 15],
    ]);
    expect(ids.length).toBe(100); // 99 · 201 = 19899 < 20000 ≤ 100 · 201 = 20100
    expect(await view(fx, "pointsOf", [fx.patient.address])).toEqual(norm([20100n, 3, 1 | 2 | 4 | 8]));
    // drop below 20000 again
    await revokeAccess(fx, ids[0]!, fx.hospital2.address);
    await expectSettled(fx, ids[0]!, { share: 0n, v: 3, r: 3, points: 0n, total: 19899n, tier: 2 });
    expect(await view(fx, "pointsOf", [fx.patient.address])).toEqual(norm([19899n, 2, 3]));
  });
});

describe("ContributionPoints views", () => {
  it("tierOf is the table of sdk/src/points.ts; above 3 it reverts", async () => {
    const fx = await pointsFixture(chain);
    for (const t of TIERS) {
      expect(await view(fx, "tierOf", [t.tier])).toEqual(norm([t.thresholdTenths, t.perks]));
    }
    let caught: unknown;
    try {
      await fx.points.call("tierOf", [4]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CallRevertError);
    // WeBASE-Front decodes only Error(string): a view's custom error reaches a client as the status alone
    expect((caught as CallRevertError).reason).toBe("call contract error of status:16");
    expect(VALUE).toEqual({ 1: 5, 2: 20, 3: 30 });
    expect(RARITY).toEqual({ 1: 5, 2: 15, 3: 25 });
  });

  it("dependencies and an unknown patient", async () => {
    const fx = await pointsFixture(chain);
    expect((await view(fx, "dependencies", [])).map((a) => lc(a as string))).toEqual([
      fx.alliance.address,
      fx.emr.address,
      fx.consent.address,
    ]);
    expect(await view(fx, "pointsOf", [newWallet().address])).toEqual(norm([0n, 0, 0]));
  });
});
