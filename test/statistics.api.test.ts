import {
  encryptCounts,
  paillierPrivateKeyToJson,
  paillierPublicKeyFromJson,
  type PaillierPublicKeyJson,
} from "@yyl/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { submitStatistics } from "../scripts/lib/api-acts.ts";
import { openRoundPrivateKey } from "../server/src/statistics/round-keys.ts";
import { admitRegulator, buildAlliance, expectApiError, expectBadField, type Alliance } from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Encrypted statistics through the REST API: three hospitals encrypt their counts per diagnosis in their
// own clients, the server checks and stores ciphertexts only, and closing the round decrypts the sums
// per diagnosis, never a single hospital's value.

const DAY = 86_400_000;
const DIAGNOSES = ["I21", "J18.9", "E11"];
// Eight-digit counts, so that finding one in the database (decimal or hex) cannot be a coincidence
// inside a 1024-digit ciphertext. Every code is reported by two hospitals at least, so no total equals
// a single hospital's count; one hospital leaves a code out (it counts as zero).
const COUNTS: Record<"A" | "B" | "C", Record<string, number>> = {
  A: { I21: 31_415_926, "J18.9": 27_182_818 },
  B: { I21: 14_142_135, "J18.9": 17_320_508, E11: 22_360_679 },
  C: { I21: 16_180_339, E11: 26_457_513 },
};
const plainSum = (code: string) =>
  Object.values(COUNTS).reduce((sum, counts) => sum + BigInt(counts[code] ?? 0), 0n).toString();

type Round = {
  id: number;
  status: string;
  publicKey: PaillierPublicKeyJson;
  submissions: number;
  submittedByMe: boolean;
  submitters?: { hospital: string }[];
  totals: Record<string, string> | null;
};

let stack: Stack;
let a: Alliance;
let hospitalC: ApiActor;
/** Applied as a hospital, not approved. */
let applicantHospital: ApiActor;
let regulator: ApiActor;
let round: Round;
/** A second round, closed with no submissions. */
let other: Round;

const bigintToHex = (x: bigint) => `0x${x.toString(16)}`;
const prisma = () => stack.app.context.prisma;
const submissionsOf = (hospital: ApiActor) => prisma().statisticsSubmission.count({ where: { hospital: hospital.address } });
const openRound = (who: ApiActor, title: string) =>
  who.request<Round>("POST", "/statistics/rounds", { title, diagnoses: DIAGNOSES, closesAt: Date.now() + DAY });
const submitRaw = (who: ApiActor, id: number, counts: unknown) =>
  who.request("POST", `/statistics/rounds/${id}/submissions`, { counts });

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  hospitalC = a.newActor();
  applicantHospital = a.newActor();
  for (const [h, name] of [[hospitalC, "丙医院"], [applicantHospital, "丁医院"]] as const) {
    await h.signIn();
    await h.apply("hospital", { name });
  }
  await a.admin.decide(hospitalC.address, "approve");
  regulator = await admitRegulator(a);
  round = await openRound(a.admin, "2026 年 11 月病例数");
  other = await openRound(a.admin, "另一轮");
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("opening a round", () => {
  it("serves a fresh 2048-bit public key per round", () => {
    expect(round.status).toBe("open");
    expect(round.totals).toBeNull();
    const n = paillierPublicKeyFromJson(round.publicKey).n;
    expect(n.toString(2).length).toBeGreaterThanOrEqual(2048);
    expect(other.publicKey.n).not.toBe(round.publicKey.n);
  });

  it("keeps the private key sealed under KMC_KEK, not as bare numbers", async () => {
    const row = await prisma().statisticsRound.findUniqueOrThrow({ where: { id: round.id } });
    const privateKey = await openRoundPrivateKey(stack.app.context.config.kmcKek, {
      publicKey: row.publicKey,
      sealedPrivateKey: row.privateKey,
    });
    expect(privateKey.p * privateKey.q).toBe(paillierPublicKeyFromJson(round.publicKey).n);
    const { p, q } = paillierPrivateKeyToJson(privateKey);
    for (const secret of [p, q, p.slice(2), q.slice(2), BigInt(p).toString(), BigInt(q).toString()])
      expect(row.privateKey).not.toContain(secret);
    expect(Object.keys(JSON.parse(row.privateKey) as object)).not.toContain("p");
    await expect(
      openRoundPrivateKey("11".repeat(32), { publicKey: row.publicKey, sealedPrivateKey: row.privateKey }),
    ).rejects.toThrow(/KMC_KEK/);
  });

  it("is for alliance admins only, and a refusal is recorded", async () => {
    await expectDenied(stack, () => openRound(a.hospitalA, "x"), a.hospitalA, "statistics.open");
    await expectDenied(stack, () => openRound(regulator, "x"), regulator, "statistics.open");
  });

  it("names the field at fault in bad input", async () => {
    await expectBadField(a.admin.request("POST", "/statistics/rounds", { title: "x", diagnoses: ["I21", "I21"], closesAt: Date.now() + DAY }), "diagnoses");
    await expectBadField(a.admin.request("POST", "/statistics/rounds", { title: "x", diagnoses: ["I 21"], closesAt: Date.now() + DAY }), "diagnoses.0");
    await expectBadField(a.admin.request("POST", "/statistics/rounds", { title: "x", diagnoses: ["I21"], closesAt: Date.now() - 1 }), "closesAt");
  });
});

describe("submitting", () => {
  it("refuses bad ciphertexts with 400 naming the code, and stores nothing", async () => {
    const key = paillierPublicKeyFromJson(round.publicKey);
    const good = encryptCounts(key, { I21: 1 }).I21!;
    const underOtherKey = encryptCounts(paillierPublicKeyFromJson(other.publicKey), { I21: 1 }).I21!;
    await expectBadField(submitRaw(hospitalC, round.id, { I21: underOtherKey }), "counts.I21");
    // Right key id, but c outside [1, n²) or sharing a factor with n.
    await expectBadField(submitRaw(hospitalC, round.id, { I21: { ...good, c: bigintToHex(key._n2) } }), "counts.I21");
    await expectBadField(submitRaw(hospitalC, round.id, { I21: { ...good, c: "0x0" } }), "counts.I21");
    await expectBadField(submitRaw(hospitalC, round.id, { I21: { ...good, c: bigintToHex(key.n) } }), "counts.I21");
    await expectBadField(submitRaw(hospitalC, round.id, { I21: { ...good, c: "12zz" } }), "counts.I21.c");
    await expectBadField(submitRaw(hospitalC, round.id, { I21: { v: 2, key: good.key, c: good.c } }), "counts.I21.v");
    await expectBadField(submitRaw(hospitalC, round.id, { I21: good, X99: good }), "counts.X99");
    await expectBadField(submitRaw(hospitalC, round.id, {}), "counts");
    expect(await submissionsOf(hospitalC)).toBe(0);
  });

  it("takes one encrypted submission from each approved hospital", async () => {
    for (const [h, counts] of [[a.hospitalA, COUNTS.A], [a.hospitalB, COUNTS.B], [hospitalC, COUNTS.C]] as const) {
      const done = await submitStatistics(h, round.id, counts);
      expect(done).toMatchObject({ roundId: round.id, hospital: h.address, diagnoses: Object.keys(counts).sort() });
    }
    expect(await prisma().statisticsSubmission.count({ where: { roundId: round.id } })).toBe(3);
  });

  it("refuses a second submission with 409", async () => {
    await expectApiError(submitStatistics(a.hospitalA, round.id, { I21: 1 }), 409, "ALREADY_SUBMITTED");
    expect(await submissionsOf(a.hospitalA)).toBe(1);
  });

  it("refuses non-hospitals and unapproved hospitals with 403, recorded", async () => {
    const counts = encryptCounts(paillierPublicKeyFromJson(round.publicKey), { I21: 5 });
    for (const who of [a.doctorA, a.patientA, regulator, a.admin, applicantHospital]) {
      await expectDenied(stack, () => submitRaw(who, round.id, counts), who, "statistics.submit");
      expect(await submissionsOf(who)).toBe(0);
    }
  });

  it("shows hospitals which rounds they submitted to, not who else did", async () => {
    const mine = await a.hospitalA.request<Round>("GET", `/statistics/rounds/${round.id}`);
    expect(mine).toMatchObject({ submittedByMe: true, submissions: 3, totals: null });
    expect(mine.submitters).toBeUndefined();
    const list = await a.hospitalA.request<{ items: Round[] }>("GET", "/statistics/rounds?submitted=true");
    expect(list.items.map((r) => r.id)).toEqual([round.id]);
    const notYet = await a.hospitalA.request<{ items: Round[] }>("GET", "/statistics/rounds?submitted=false");
    expect(notYet.items.map((r) => r.id)).toEqual([other.id]);
    const seen = await regulator.request<Round>("GET", `/statistics/rounds/${round.id}`);
    expect(seen.submitters!.map((s) => s.hospital).sort()).toEqual([a.hospitalA.address, a.hospitalB.address, hospitalC.address].sort());
    await expectDenied(stack, () => a.patientA.request("GET", `/statistics/rounds/${round.id}`), a.patientA, "statistics.read");
    await expectDenied(stack, () => a.doctorA.request("GET", "/statistics/rounds"), a.doctorA, "statistics.read");
  });
});

describe("closing", () => {
  it("is for alliance admins only", async () => {
    await expectDenied(stack, () => a.hospitalA.request("POST", `/statistics/rounds/${round.id}/closure`), a.hospitalA, "statistics.close");
    await expectDenied(stack, () => regulator.request("POST", `/statistics/rounds/${round.id}/closure`), regulator, "statistics.close");
  });

  it("decrypts the totals, and they equal the plain sums per diagnosis (a missing code counts as zero)", async () => {
    const closed = await a.admin.request<Round>("POST", `/statistics/rounds/${round.id}/closure`);
    expect(closed.status).toBe("closed");
    expect(closed.totals).toEqual(Object.fromEntries(DIAGNOSES.map((code) => [code, plainSum(code)])));
    const seen = await a.hospitalB.request<Round>("GET", `/statistics/rounds/${round.id}`);
    expect(seen.totals).toEqual(closed.totals);
  });

  it("totals zero for a round nobody submitted to", async () => {
    const closed = await a.admin.request<Round>("POST", `/statistics/rounds/${other.id}/closure`);
    expect(closed.totals).toEqual({ I21: "0", "J18.9": "0", E11: "0" });
  });

  it("refuses submissions after closing and a second closing", async () => {
    await expectApiError(submitStatistics(a.hospitalA, other.id, { I21: 1 }), 409, "ROUND_CLOSED");
    expect(await prisma().statisticsSubmission.count({ where: { roundId: other.id } })).toBe(0);
    await expectApiError(a.admin.request("POST", `/statistics/rounds/${round.id}/closure`), 409, "ROUND_CLOSED");
    await expectApiError(a.admin.request("POST", "/statistics/rounds/999999/closure"), 404);
  });

  it("leaves no single hospital's count anywhere in the database: ciphertexts and totals only", async () => {
    const tables = ["statistics_rounds", "statistics_submissions", "audit_log"];
    const dump: string[] = [];
    for (const table of tables) {
      const all = await prisma().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM \`${table}\``);
      dump.push(JSON.stringify(all, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    }
    const text = dump.join("\n");
    for (const counts of Object.values(COUNTS)) {
      for (const value of Object.values(counts)) {
        expect(text).not.toContain(String(value));
        expect(text.toLowerCase()).not.toContain(value.toString(16));
      }
    }
    // The stored submissions are the ciphertexts the hospitals' clients made, under the round's key.
    const stored = await prisma().statisticsSubmission.findMany({ where: { roundId: round.id } });
    for (const s of stored) {
      for (const ct of Object.values(JSON.parse(s.counts) as Record<string, { key: string; c: string }>)) {
        expect(BigInt(ct.c)).toBeGreaterThan(paillierPublicKeyFromJson(round.publicKey).n);
      }
    }
  });
});
