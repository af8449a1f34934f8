import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  admitRegulator,
  buildAlliance,
  expectApiError,
  expectBadField,
  writeRecord,
  type Alliance,
} from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The entropy hint beside a hospital's rating (GET /points/records/:id/value-hint): H = −Σ pᵢ log₂ pᵢ
// over the hospitals whose reads of the record the chain granted (a doctor counts as their hospital),
// suggested level 1 below 1 bit, 2 below 2 bits, 3 from 2 bits. Every expected number below is worked
// out by hand in the comment beside it.

let stack: Stack;
let al: Alliance;
/** Hospitals B, C, D, E with one doctor each (B is the alliance's hospital B). */
let hospitals: ApiActor[];
let doctors: ApiActor[];

interface Hint {
  recordId: string;
  institutions: { institution: string; name: string | null; accesses: number }[];
  accesses: number;
  otherAccesses: number;
  entropyBits: number;
  effectiveInstitutions: number;
  suggestedLevel: number;
  explanation: string[];
  windowDays: number;
  overTime: { from: number; to: number; accesses: number; entropyBits: number; suggestedLevel: number }[];
  myRating: { valueLevel: number; rarityLevel: number; ratedAt: number } | null;
}

const DAY = 86_400_000;
const hintOf = (who: ApiActor, recordId: string, query = "") =>
  who.request<Hint>("GET", `/points/records/${recordId}/value-hint${query}`);
/** A doctor opens the record: the chain decides under the grant to their hospital. */
const read = (who: ApiActor, recordId: string) => who.request("GET", `/emr/records/${recordId}`);
const newRecord = (title: string) =>
  writeRecord(al.doctorA, al.patientA, al.hospitalA, { title, chiefComplaint: "胸闷", diagnosis: "心绞痛" });
async function grantTo(recordId: string, grantees: ApiActor[]): Promise<void> {
  for (const h of grantees) {
    await grantOnChain(stack, al.patientA.wallet, { recordId, grantee: h.address });
    await al.patientA.shareKeys(recordId, h.address); // so that the grantee's doctors can open the content
  }
}

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
  hospitals = [al.hospitalB];
  doctors = [al.doctorB];
  for (const [hName, dName] of [
    ["丙医院", "丙医生"],
    ["丁医院", "丁医生"],
    ["戊医院", "戊医生"],
  ] as const) {
    const h = al.newActor();
    const d = al.newActor();
    await h.signIn();
    await d.signIn();
    await h.apply("hospital", { name: hName });
    await al.admin.decide(h.address, "approve");
    await d.apply("doctor", { name: dName, department: "心内科" }, h.address);
    await h.registerDoctor(d.address);
    await al.admin.decide(d.address, "approve");
    hospitals.push(h);
    doctors.push(d);
  }
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

describe("value hint", () => {
  it("reads by one hospital: 0 bits, one effective institution, level 1", async () => {
    const { recordId } = al;
    const [b] = hospitals as [ApiActor];
    await grantTo(recordId, [b]);
    // Nothing read yet: no distribution, 0 bits, level 1.
    expect(await hintOf(b, recordId)).toMatchObject({
      recordId,
      institutions: [],
      accesses: 0,
      entropyBits: 0,
      effectiveInstitutions: 1,
      suggestedLevel: 1,
      explanation: ["noAccesses"],
      windowDays: 30,
      overTime: [],
      myRating: null,
    });

    await read(doctors[0]!, recordId);
    await read(doctors[0]!, recordId);
    // The attending doctor's and the patient's reads are decided by relation (no chain request): not counted.
    await read(al.doctorA, recordId);
    await read(al.patientA, recordId);
    // One institution with p = 1: H = −1·log₂ 1 = 0 bits, 2⁰ = 1, level 1.
    const h = await hintOf(b, recordId);
    expect(h).toMatchObject({
      institutions: [{ institution: b.address, name: "乙医院", accesses: 2 }],
      accesses: 2,
      otherAccesses: 0,
      entropyBits: 0,
      effectiveInstitutions: 1,
      suggestedLevel: 1,
      explanation: ["oneInstitution"],
    });
    expect(h.overTime).toHaveLength(1);
    expect(h.overTime[0]).toMatchObject({ accesses: 2, entropyBits: 0, suggestedLevel: 1 });
    expect(h.overTime[0]!.to - h.overTime[0]!.from).toBe(30 * DAY);
  });

  it("reads by two hospitals equally: 1 bit, level 2", async () => {
    const recordId = await newRecord("两家医院读取");
    await grantTo(recordId, hospitals.slice(0, 2));
    await read(doctors[0]!, recordId);
    await read(doctors[1]!, recordId);
    // p = ½, ½: H = −2·½·log₂ ½ = 1 bit, 2¹ = 2, level 2 (1 ≤ H < 2).
    const h = await hintOf(hospitals[1]!, recordId);
    expect(h).toMatchObject({ accesses: 2, entropyBits: 1, effectiveInstitutions: 2, suggestedLevel: 2 });
    expect(h.institutions.map((i) => [i.institution, i.accesses]).sort()).toEqual(
      [
        [hospitals[0]!.address, 1],
        [hospitals[1]!.address, 1],
      ].sort(),
    );
    expect(h.explanation).toEqual(["fewInstitutions"]);
  });

  it("reads by four hospitals equally: 2 bits, level 3", async () => {
    const recordId = await newRecord("四家医院读取");
    await grantTo(recordId, hospitals);
    for (const d of doctors) await read(d, recordId);
    // p = ¼ each: H = −4·¼·log₂ ¼ = 2 bits, 2² = 4, level 3 (H ≥ 2).
    const h = await hintOf(hospitals[3]!, recordId);
    expect(h).toMatchObject({ accesses: 4, entropyBits: 2, effectiveInstitutions: 4, suggestedLevel: 3 });
    expect(h.institutions).toHaveLength(4);
    expect(h.explanation).toEqual(["manyInstitutions"]);
  });

  it("counts a hospital's own reads with its doctors', and leaves out refused reads and non-institutions", async () => {
    const recordId = await newRecord("不均匀读取");
    const [b, c, d, e] = hospitals as [ApiActor, ApiActor, ApiActor, ApiActor];
    await grantTo(recordId, [b, c, d]);
    const regulator = await admitRegulator(al);
    await grantTo(recordId, [regulator]);
    await read(b, recordId); // the hospital itself
    await read(doctors[0]!, recordId); // its doctor: B again
    await read(doctors[1]!, recordId);
    await read(doctors[2]!, recordId);
    await read(regulator, recordId); // granted, but a regulator is not an institution
    await expectApiError(read(doctors[3]!, recordId), 403); // hospital E holds no grant: refused on chain
    // B:C:D = 2:1:1, p = ½, ¼, ¼: H = ½·1 + 2·¼·2 = 1.5 bits; 2^1.5 = 2√2 ≈ 2.83; level 2.
    const h = await hintOf(b, recordId);
    expect(h).toMatchObject({
      accesses: 4,
      otherAccesses: 1,
      entropyBits: 1.5,
      effectiveInstitutions: 2.83,
      suggestedLevel: 2,
    });
    expect(h.institutions[0]).toMatchObject({ institution: b.address, accesses: 2 });
    expect(h.institutions.map((i) => i.institution)).not.toContain(e.address);
    expect(h.explanation).toEqual(["fewInstitutions", "otherAccessesLeftOut"]);
    // The regulator may look at the hint too.
    expect((await hintOf(regulator, recordId)).entropyBits).toBe(1.5);
  });

  it("counts the writing hospital like any other when the chain granted its read", async () => {
    const recordId = await newRecord("出具医院也读取");
    const [b] = hospitals as [ApiActor];
    await grantTo(recordId, [al.hospitalA, b]);
    await read(al.hospitalA, recordId); // the writing hospital, under the patient's grant, on chain
    await read(al.doctorA, recordId); // the attending doctor: by relation, not counted
    await read(doctors[0]!, recordId);
    // A:B = 1:1 → H = 1 bit, 2 effective institutions, level 2.
    const h = await hintOf(b, recordId);
    expect(h).toMatchObject({ accesses: 2, entropyBits: 1, effectiveInstitutions: 2, suggestedLevel: 2 });
    expect(h.institutions.map((i) => i.institution).sort()).toEqual([al.hospitalA.address, b.address].sort());
  });

  it("shows the trend in windows of `window` days ending now", async () => {
    const recordId = await newRecord("按时间窗口");
    const [b, c, d] = hospitals as [ApiActor, ApiActor, ApiActor];
    await grantTo(recordId, [b, c]);
    await read(doctors[0]!, recordId);
    await read(doctors[1]!, recordId);
    // The devnode's clock cannot be moved back, so two older granted reads by hospital D (50 days ago)
    // are put in the mirror directly, as the indexer would have stored them.
    const now = Date.now();
    const patient = al.patientA.address;
    await stack.app.context.prisma.accessRequest.createMany({
      data: [0, 1].map((i) => ({
        recordId,
        requester: d.address,
        patient,
        granted: true,
        reason: 1,
        level: 1,
        purposeHash: `0x${"11".repeat(32)}`,
        at: BigInt(now - 50 * DAY + i * 1000),
        txHash: `0x${String(i).repeat(64)}`,
        blockNumber: 9_000_000 + i,
        logIndex: 0,
      })),
    });

    // Overall B:C:D = 1:1:2, p = ¼, ¼, ½: H = 2·¼·2 + ½·1 = 1.5 bits, level 2.
    const h30 = await hintOf(b, recordId, "?window=30");
    expect(h30).toMatchObject({ accesses: 4, entropyBits: 1.5, suggestedLevel: 2, windowDays: 30 });
    // 50 days back lies in the second window back from now: two windows, oldest first. The older one
    // holds D, D (0 bits, level 1); the recent one B, C (1 bit, level 2): use is spreading.
    expect(
      h30.overTime.map(({ accesses, entropyBits, suggestedLevel }) => ({
        accesses,
        entropyBits,
        suggestedLevel,
      })),
    ).toEqual([
      { accesses: 2, entropyBits: 0, suggestedLevel: 1 },
      { accesses: 2, entropyBits: 1, suggestedLevel: 2 },
    ]);
    expect(h30.overTime[1]!.to - h30.overTime[0]!.from).toBe(60 * DAY);
    expect(h30.overTime[0]!.to).toBe(h30.overTime[1]!.from);
    expect(h30.explanation).toEqual(["fewInstitutions", "spreading"]);

    // 7-day windows: 50 days back is window 7 (49–56 days), so 8 windows; only the first and last hold reads.
    const h7 = await hintOf(b, recordId, "?window=7");
    expect(h7.overTime.map((w) => w.accesses)).toEqual([2, 0, 0, 0, 0, 0, 0, 2]);
    expect(h7.entropyBits).toBe(1.5); // the totals do not depend on the window
    // One 60-day window holds all four reads: 1.5 bits again.
    const h60 = await hintOf(b, recordId, "?window=60");
    expect(h60.overTime).toEqual([
      expect.objectContaining({ accesses: 4, entropyBits: 1.5, suggestedLevel: 2 }),
    ]);
  });

  it("answers the calling hospital's own rating beside the hint", async () => {
    const { recordId } = al;
    const b = hospitals[0]!;
    await b.request("POST", `/points/records/${recordId}/rating`, { valueLevel: 2, rarityLevel: 3 });
    const mine = (await hintOf(b, recordId)).myRating;
    expect(mine).toMatchObject({ valueLevel: 2, rarityLevel: 3 });
    expect(mine!.ratedAt).toBeGreaterThan(0);
    expect((await hintOf(al.admin, recordId)).myRating).toBeNull();
  });

  it("refuses callers without a grant (audited), answers 404 for an unknown record and 400 for a bad window", async () => {
    const { recordId } = al; // granted to hospital B only
    const e = hospitals[3]!;
    for (const who of [e, al.hospitalA, al.doctorB, al.patientA])
      await expectDenied(stack, () => hintOf(who, recordId), who, "points.value-hint");
    await expectApiError(hintOf(hospitals[0]!, `0x${"ab".repeat(32)}`), 404, "NOT_FOUND");
    for (const bad of ["0", "366", "1.5", "abc"])
      await expectBadField(hintOf(hospitals[0]!, recordId, `?window=${bad}`), "query.window");
  });

  it("lists the records a hospital may rate, with its ratings", async () => {
    const b = hospitals[0]!;
    const page = await b.request<{
      items: { record: { recordId: string }; myRating: { valueLevel: number } | null; settled: unknown }[];
      total: number;
    }>("GET", "/points/ratable-records?pageSize=100");
    // B holds grants on all six records written above; it rated only the first.
    expect(page.total).toBe(6);
    const first = page.items.find((i) => i.record.recordId === al.recordId)!;
    expect(first.myRating).toMatchObject({ valueLevel: 2, rarityLevel: 3 });
    expect(page.items.filter((i) => i.myRating).length).toBe(1);
    // Hospital A wrote every record but holds a grant on one only: that one is all it may rate.
    const ofA = await al.hospitalA.request<{ items: { record: { title: string } }[]; total: number }>(
      "GET",
      "/points/ratable-records",
    );
    expect(ofA.items.map((i) => i.record.title)).toEqual(["出具医院也读取"]);
    await expectDenied(
      stack,
      () => al.doctorB.request("GET", "/points/ratable-records"),
      al.doctorB,
      "points.rate",
    );
  });
});
