import {
  categoryOf,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
  GRANT_LEVEL,
  grantTypedData,
  SCOPE_KIND,
  type RecordKeyWrap,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  admitRegulator,
  buildAlliance,
  expectApiError,
  expectBadField,
  type Alliance,
} from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { operatorOf, sendAndMirror, waitForMirror } from "./support/chain-acts.ts";
import { snapshotOf } from "./support/snapshot.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Break-glass through REST: a certified doctor opens a record without a grant, the chain rate-limits
// it, the patient is told, and an alliance admin reviews it.

type Access = {
  accessId: number;
  recordId: string;
  doctor: string;
  doctorName: string | null;
  patient: string;
  hospital: string;
  reasonCode: number;
  reason: string;
  justificationHash: string;
  justification: string | null;
  justificationMatches: boolean | null;
  reviewed: boolean;
  reviewOutcome: string | null;
  reviewedBy: string | null;
  txHash: string | null;
};
type Page<T> = { items: T[]; page: number; pageSize: number; total: number };
type Notification = {
  id: string;
  kind: string;
  at: number;
  seen: boolean;
  message: string;
  actor: string;
  actorName: string | null;
  recordId: string | null;
  accessId: number | null;
  grantId: string | null;
  reason: string | null;
  expiresAt: number | null;
};
type Notifications = Page<Notification> & { unseen: number; seenUntil: number };

let stack: Stack;
let a: Alliance;
let recordId: string;
let regulator: ApiActor;
const accessIds: number[] = [];

const prisma = () => stack.app.context.prisma;

async function signedBreakGlass(
  doctor: ApiActor,
  m: { recordId?: string; reasonCode: number; justification?: string; deadline?: number },
) {
  const fresh = ApiActor.freshNonce();
  const deadline = m.deadline ?? fresh.deadline;
  const justificationHash = m.justification ? keccak256(toUtf8Bytes(m.justification)) : ZeroHash;
  const typed = emergencyAccessTypedData(await doctor.domain("EmergencyAccess"), {
    recordId: m.recordId ?? recordId,
    reasonCode: m.reasonCode,
    justificationHash,
    nonce: fresh.nonce,
    deadline,
  });
  return {
    recordId: m.recordId ?? recordId,
    reasonCode: m.reasonCode,
    justification: m.justification,
    nonce: fresh.nonce,
    deadline,
    signature: await doctor.sign(typed),
  };
}

/** Breaks the glass and opens the content with the doctor's own key (the escrow wrap re-wrapped to it). */
async function breakGlass(doctor: ApiActor, m: Parameters<typeof signedBreakGlass>[1]) {
  const opened = await doctor.request<{
    access: Access;
    record: { recordId: string; version: number };
    content: { envelope: string; wraps: RecordKeyWrap[] };
  }>("POST", "/emergency/accesses", await signedBreakGlass(doctor, m));
  expect(opened.content.wraps.map((w) => (w.kind === "ecies" ? w.reader : w.policy))).toEqual([doctor.address]);
  return { ...opened, bundle: await doctor.open(opened.content, opened.record.recordId, opened.record.version) };
}

async function signedReview(admin: ApiActor, accessId: number, outcome: "justified" | "abusive") {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = emergencyReviewTypedData(await admin.domain("EmergencyAccess"), {
    accessId,
    outcome: outcome === "justified" ? 1 : 2,
    nonce,
    deadline,
  });
  return { outcome, nonce, deadline, signature: await admin.sign(typed) };
}

/** The emergency mirror as it stands, to check that refusals change nothing. */
const snapshot = () => snapshotOf(prisma().emergencyAccessEntry.findMany({ orderBy: { accessId: "asc" } }));

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  recordId = a.recordId;
  regulator = await admitRegulator(a);
  // Hospital B certifies doctor B (sent by its operator, as the certification endpoint does).
  await sendAndMirror(
    stack,
    "AllianceRegistry",
    "certifyDoctor",
    [
      a.doctorB.address,
      keccak256(toUtf8Bytes("执业证书")),
      categoryOf("心内科"),
      Date.now() + 365 * 86_400_000,
    ],
    await operatorOf(stack, a.hospitalB.address),
  );
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("break-glass", () => {
  it("opens the record for a certified doctor of another hospital, audits it, and tells the patient", async () => {
    const opened = await breakGlass(a.doctorB, { reasonCode: 1 });
    expect(opened.access).toMatchObject({
      recordId,
      doctor: a.doctorB.address,
      doctorName: "乙医生",
      patient: a.patientA.address,
      hospital: a.hospitalB.address,
      reasonCode: 1,
      reason: "unconscious",
      justificationHash: ZeroHash,
      justification: null,
      justificationMatches: null,
      reviewed: false,
      reviewOutcome: null,
    });
    expect(opened.access.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(opened.record.recordId).toBe(recordId);
    expect(JSON.stringify(opened.bundle)).toContain("心绞痛");
    accessIds.push(opened.access.accessId);
    const onChain = await stack.app.context.chain.contracts.EmergencyAccess.call<Record<string, unknown>>(
      "accessOf",
      [opened.access.accessId],
    );
    expect(String(onChain.doctor)).toBe(a.doctorB.address);

    const audit = await prisma().auditEntry.findFirstOrThrow({
      where: { actor: a.doctorB.address, action: "emr.emergency.open", outcome: "allowed" },
    });
    expect(audit.resource).toBe(`record:${recordId}`);
    expect(audit.detail).toContain("break-glass");
    expect(audit.detail).toContain(opened.access.txHash);

    const log = await a.patientA.request<
      Page<{ actor: string; action: string; outcome: string; txHash: string }>
    >("GET", `/consent/access-log?actor=${a.doctorB.address}`);
    expect(log.items[0]).toMatchObject({
      actor: a.doctorB.address,
      action: "emr.emergency.open",
      outcome: "allowed",
      txHash: opened.access.txHash,
    });

    const told = await a.patientA.request<Notifications>("GET", "/me/notifications");
    expect(told.unseen).toBe(1);
    expect(told.items[0]).toMatchObject({
      id: `break-glass:${opened.access.accessId}`,
      kind: "break-glass",
      seen: false,
      actor: a.doctorB.address,
      actorName: "乙医生",
      recordId,
      accessId: opened.access.accessId,
      reason: "unconscious",
    });
    expect(told.items[0]!.message).toContain("乙医生");
    expect((await a.doctorB.request<Notifications>("GET", "/me/notifications")).total).toBe(0);

    const marked = await a.patientA.request<{ seenUntil: number; unseen: number }>(
      "POST",
      "/me/notifications/seen",
      { until: Date.now() },
    );
    expect(marked.unseen).toBe(0);
    const after = await a.patientA.request<Notifications>("GET", "/me/notifications");
    expect(after).toMatchObject({ unseen: 0, seenUntil: marked.seenUntil });
    expect(after.items[0]!.seen).toBe(true);
    // The mark never moves back.
    expect(
      (await a.patientA.request<{ seenUntil: number }>("POST", "/me/notifications/seen", { until: 1 }))
        .seenUntil,
    ).toBe(marked.seenUntil);
  });

  it("needs a justification for reason 3 and keeps it off chain behind its hash", async () => {
    const before = await snapshot();
    await expectBadField(
      a.doctorB.request("POST", "/emergency/accesses", await signedBreakGlass(a.doctorB, { reasonCode: 3 })),
      "justification",
    );
    expect(await snapshot()).toBe(before);
    const justification = "患者意识不清，家属无法联系，需立即查看既往心脏病史";
    const opened = await breakGlass(a.doctorB, { reasonCode: 3, justification });
    expect(opened.access).toMatchObject({
      reason: "other",
      justification,
      justificationHash: keccak256(toUtf8Bytes(justification)),
      justificationMatches: true,
    });
    accessIds.push(opened.access.accessId);
  });

  it("is rate-limited by the chain per doctor, and a refused attempt changes nothing but is audited", async () => {
    accessIds.push((await breakGlass(a.doctorB, { reasonCode: 2 })).access.accessId);
    const before = await snapshot();
    await expectApiError(breakGlass(a.doctorB, { reasonCode: 2 }), 422, "EmergencyAccessRateLimited");
    expect(await snapshot()).toBe(before);
    const failed = await prisma().auditEntry.findFirstOrThrow({
      where: { actor: a.doctorB.address, action: "emr.emergency.open", outcome: "failed" },
    });
    expect(failed.detail).toContain("EmergencyAccessRateLimited");
  });

  it("refuses the uncertified, other roles and bad input", async () => {
    const before = await snapshot();
    await expectApiError(breakGlass(a.doctorA, { reasonCode: 1 }), 422, "EmergencyAccessNotCertified");
    for (const who of [a.patientA, a.hospitalB, a.admin, regulator, a.stranger]) {
      await expectDenied(
        stack,
        async () =>
          who.request("POST", "/emergency/accesses", await signedBreakGlass(who, { reasonCode: 1 })),
        who,
        "emr.emergency.open",
      );
    }
    await expectBadField(
      a.doctorA.request("POST", "/emergency/accesses", {
        ...(await signedBreakGlass(a.doctorA, { reasonCode: 1 })),
        reasonCode: 4,
      }),
      "reasonCode",
    );
    await expectBadField(
      a.doctorA.request("POST", "/emergency/accesses", {
        ...(await signedBreakGlass(a.doctorA, { reasonCode: 1 })),
        recordId: "0x12",
      }),
      "recordId",
    );
    await expectBadField(
      a.doctorB.request("POST", "/emergency/accesses", await signedBreakGlass(a.doctorA, { reasonCode: 1 })),
      "signature",
    );
    await expectBadField(
      a.doctorB.request(
        "POST",
        "/emergency/accesses",
        await signedBreakGlass(a.doctorB, { reasonCode: 1, deadline: Date.now() - 1 }),
      ),
      "deadline",
    );
    await expectApiError(
      a.doctorB.request(
        "POST",
        "/emergency/accesses",
        await signedBreakGlass(a.doctorB, { reasonCode: 1, recordId: "0x" + "9a".repeat(32) }),
      ),
      404,
      "NOT_FOUND",
    );
    await expectApiError(
      new ApiActor(stack.baseUrl, a.doctorB.wallet).request("POST", "/emergency/accesses", {}),
      401,
    );
    expect(await snapshot()).toBe(before);
  });
});

describe("review", () => {
  it("lists accesses to those concerned; reviewed=false is the admin's queue", async () => {
    const ids = async (who: ApiActor, q = "") =>
      (await who.request<Page<Access>>("GET", `/emergency/accesses${q}`)).items.map((x) => x.accessId);
    const all = [...accessIds].reverse();
    for (const who of [a.admin, regulator, a.patientA, a.doctorB, a.hospitalB])
      expect(await ids(who)).toEqual(all);
    for (const who of [a.patientB, a.doctorA, a.hospitalA, a.stranger]) expect(await ids(who)).toEqual([]);
    expect(await ids(a.admin, "?reviewed=false&sort=accessedAt:asc")).toEqual(accessIds);
    expect(await ids(a.admin, "?reviewed=true")).toEqual([]);
    expect(await ids(a.admin, `?doctor=${a.doctorA.address}`)).toEqual([]);
    expect(await ids(a.admin, `?patient=${a.patientA.address}&recordId=${recordId}`)).toEqual(all);
    expect(await ids(a.admin, `?from=${Date.now() + 1000}`)).toEqual([]);
    const page = await a.admin.request<Page<Access>>("GET", "/emergency/accesses?pageSize=2&page=2");
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items.map((x) => x.accessId)).toEqual([accessIds[0]]);
    await expectBadField(a.admin.request("GET", "/emergency/accesses?reviewed=maybe"), "query.reviewed");
    await expectApiError(
      new ApiActor(stack.baseUrl, a.admin.wallet).request("GET", "/emergency/accesses"),
      401,
    );
  });

  it("lets only an alliance admin review an access, once", async () => {
    const [first, second] = accessIds as [number, number];
    const before = await snapshot();
    for (const who of [a.doctorB, a.hospitalB, a.patientA, regulator]) {
      await expectDenied(
        stack,
        async () =>
          who.request(
            "POST",
            `/emergency/accesses/${first}/review`,
            await signedReview(who, first, "justified"),
          ),
        who,
        "emr.emergency.review",
      );
    }
    await expectBadField(
      a.admin.request("POST", `/emergency/accesses/${first}/review`, {
        ...(await signedReview(a.admin, first, "justified")),
        outcome: "fine",
      }),
      "outcome",
    );
    await expectBadField(
      a.admin.request(
        "POST",
        `/emergency/accesses/${first}/review`,
        await signedReview(a.doctorB, first, "justified"),
      ),
      "signature",
    );
    await expectBadField(
      a.admin.request(
        "POST",
        "/emergency/accesses/zero/review",
        await signedReview(a.admin, first, "justified"),
      ),
      "params.accessId",
    );
    await expectApiError(
      a.admin.request(
        "POST",
        "/emergency/accesses/999/review",
        await signedReview(a.admin, 999, "justified"),
      ),
      404,
      "NOT_FOUND",
    );
    expect(await snapshot()).toBe(before);

    const reviewed = await a.admin.request<Access>(
      "POST",
      `/emergency/accesses/${first}/review`,
      await signedReview(a.admin, first, "justified"),
    );
    expect(reviewed).toMatchObject({
      accessId: first,
      reviewed: true,
      reviewOutcome: "justified",
      reviewedBy: a.admin.address,
    });
    const afterFirst = await snapshot();
    await expectApiError(
      a.admin.request(
        "POST",
        `/emergency/accesses/${first}/review`,
        await signedReview(a.admin, first, "abusive"),
      ),
      409,
      "CONFLICT",
    );
    expect(await snapshot()).toBe(afterFirst);
    const abusive = await a.admin.request<Access>(
      "POST",
      `/emergency/accesses/${second}/review`,
      await signedReview(a.admin, second, "abusive"),
    );
    expect(abusive.reviewOutcome).toBe("abusive");

    const queue = await a.admin.request<Page<Access>>("GET", "/emergency/accesses?reviewed=false");
    expect(queue.items.map((x) => x.accessId)).toEqual([accessIds[2]]);
    expect((await a.admin.request<Page<Access>>("GET", "/emergency/accesses?reviewed=true")).total).toBe(2);
  });
});

describe("notifications", () => {
  it("tell the patient of refused requests and grants about to expire, with unseen counts", async () => {
    // The later break-glass accesses are unseen until the patient marks them.
    expect((await a.patientA.request<Notifications>("GET", "/me/notifications")).unseen).toBe(2);
    const since = (
      await a.patientA.request<{ seenUntil: number }>("POST", "/me/notifications/seen", { until: Date.now() })
    ).seenUntil;
    // Hospital B asks for the record without a grant: refused on chain.
    await expectApiError(a.hospitalB.request("GET", `/emr/records/${recordId}`), 403);
    // A grant that ends in three days.
    const { nonce, deadline } = ApiActor.freshNonce();
    const expiresAt = Date.now() + 3 * 86_400_000;
    const typed = grantTypedData(await a.patientA.domain("ConsentManager"), {
      patient: a.patientA.address,
      scope: recordId,
      scopeKind: SCOPE_KIND.record,
      grantee: a.hospitalA.address,
      level: GRANT_LEVEL.view,
      expiresAt,
      nonce,
      deadline,
    });
    const granted = await a.patientA.request<{ consent: { identifier: { value: string }[] } }>(
      "POST",
      "/consent/grants",
      {
        patient: a.patientA.address,
        scope: { kind: "record", recordId },
        grantee: a.hospitalA.address,
        level: "view",
        expiresAt,
        nonce,
        deadline,
        signature: await a.patientA.sign(typed),
      },
    );
    await waitForMirror(stack);

    const now = await a.patientA.request<Notifications>("GET", "/me/notifications");
    expect(now.total).toBe(5);
    expect(now.unseen).toBe(2);
    const unseen = now.items.filter((n) => !n.seen);
    expect(unseen.map((n) => n.kind).sort()).toEqual(["access-denied", "grant-expiring"]);
    expect(unseen.every((n) => n.at > since)).toBe(true);
    expect(now.items.find((n) => n.kind === "access-denied")).toMatchObject({
      actor: a.hospitalB.address,
      actorName: "乙医院",
      recordId,
      reason: "no-grant",
    });
    expect(now.items.find((n) => n.kind === "grant-expiring")).toMatchObject({
      actor: a.hospitalA.address,
      grantId: granted.consent.identifier[0]!.value,
      expiresAt,
      recordId,
    });

    const expiring = await a.patientA.request<Notifications>("GET", "/me/notifications?kind=grant-expiring");
    expect(expiring.items.map((n) => n.kind)).toEqual(["grant-expiring"]);
    expect((await a.patientA.request<Notifications>("GET", "/me/notifications?unseen=true")).total).toBe(2);
    const oldest = await a.patientA.request<Notifications>("GET", "/me/notifications?sort=at:asc&pageSize=1");
    expect(oldest).toMatchObject({ total: 5, pageSize: 1 });
    expect(oldest.items[0]!.accessId).toBe(accessIds[0]);

    await expectBadField(a.patientA.request("POST", "/me/notifications/seen", { until: "soon" }), "until");
    await expectBadField(a.patientA.request("GET", "/me/notifications?kind=news"), "query.kind");
    await expectApiError(
      new ApiActor(stack.baseUrl, a.patientA.wallet).request("GET", "/me/notifications"),
      401,
    );
    expect(
      (await a.patientA.request<{ unseen: number }>("POST", "/me/notifications/seen", { until: Date.now() }))
        .unseen,
    ).toBe(0);
  });
});
