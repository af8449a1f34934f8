import {
  canonicalJson,
  categoryOf,
  complaintTypedData,
  DELEGATION_SCOPE,
  delegationRevocationTypedData,
  delegationTypedData,
  GRANT_LEVEL,
  grantIdOf,
  grantTypedData,
  blacklistLiftTypedData,
  revocationTypedData,
  SCOPE_KIND,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes, zeroPadValue, ZeroAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import type { Consent } from "../server/src/consent/fhir-consent.ts";
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

// Consent through REST only: grants as FHIR Consents and their history, the referral flow (grant →
// another hospital reads → revoke → refused), expiry, guardians, complaints, the blacklist, and the
// patient's access log.

type ConsentWithHash = { consent: Consent; consentHash: string; names: Record<string, string> };
type Page<T> = { items: T[]; page: number; pageSize: number; total: number };
type Bundle = {
  resourceType: string;
  type: string;
  total?: number;
  entry: { resource: Consent; request?: { method: string } }[];
};
type Scope = { kind: "record"; recordId: string } | { kind: "category"; category: string };

let stack: Stack;
let a: Alliance;
let recordId: string;
let regulator: ApiActor;
/** Patient A's guardian (no member of anything), named in the guardians tests. */
let guardian: ApiActor;
const DAY = 86_400_000;

const prisma = () => stack.app.context.prisma;
const stateOf = (c: Consent) =>
  c.extension.find((e) => e.url === "urn:yiyuanliao:fhir:grant-state")?.valueCode;
const anchorOf = (c: Consent) =>
  Object.fromEntries(
    c.extension
      .find((e) => e.url === "urn:yiyuanliao:fhir:chain-anchor")!
      .extension!.map((e) => [e.url, e.valueString ?? e.valueUnsignedInt]),
  );
const sleepUntil = async (t: number) => {
  while (Date.now() < t) await new Promise((r) => setTimeout(r, Math.min(250, t - Date.now() + 1)));
};

async function signedGrant(
  signer: ApiActor,
  g: { patient: string; scope: Scope; grantee: string; level?: "view" | "research"; expiresAt?: number },
) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const level = g.level ?? "view";
  const expiresAt = g.expiresAt ?? Date.now() + DAY;
  const scope = g.scope.kind === "record" ? g.scope.recordId : categoryOf(g.scope.category);
  const typed = grantTypedData(await signer.domain("ConsentManager"), {
    patient: g.patient,
    scope,
    scopeKind: SCOPE_KIND[g.scope.kind],
    grantee: g.grantee,
    level: GRANT_LEVEL[level],
    expiresAt,
    nonce,
    deadline,
  });
  return {
    patient: g.patient,
    scope: g.scope,
    grantee: g.grantee,
    level,
    expiresAt,
    nonce,
    deadline,
    signature: await signer.sign(typed),
  };
}

async function grant(signer: ApiActor, g: Parameters<typeof signedGrant>[1]): Promise<ConsentWithHash> {
  const made = await signer.request<ConsentWithHash>("POST", "/consent/grants", await signedGrant(signer, g));
  // As the portal does after a grant: the patient's client gives the grantee the keys of the record
  // it covers (the category grants here cover the one record, classified first).
  if (signer === a.patientA && (g.scope.kind === "category" || g.scope.recordId === recordId))
    await a.patientA.shareKeys(recordId, g.grantee);
  return made;
}

async function signedRevocation(signer: ApiActor, grantId: string) {
  const row = await prisma().consentGrant.findUniqueOrThrow({ where: { grantId } });
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = revocationTypedData(await signer.domain("ConsentManager"), {
    patient: row.patient,
    scope: row.scope,
    grantee: row.grantee,
    nonce,
    deadline,
  });
  return { nonce, deadline, signature: await signer.sign(typed) };
}

async function revoke(signer: ApiActor, grantId: string): Promise<ConsentWithHash> {
  return signer.request<ConsentWithHash>(
    "POST",
    `/consent/grants/${grantId}/revocation`,
    await signedRevocation(signer, grantId),
  );
}

async function signedDelegation(
  patient: ApiActor,
  delegate: string,
  scopes: (keyof typeof DELEGATION_SCOPE)[],
  validUntil: number,
  validFrom = Date.now() - 60_000,
) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const mask = scopes.reduce((m, s) => m | DELEGATION_SCOPE[s], 0);
  const typed = delegationTypedData(await patient.domain("PatientDelegation"), {
    patient: patient.address,
    delegate,
    scopes: mask,
    validFrom,
    validUntil,
    nonce,
    deadline,
  });
  return { delegate, scopes, validFrom, validUntil, nonce, deadline, signature: await patient.sign(typed) };
}

async function signedComplaint(
  signer: ApiActor,
  patient: string,
  subject: { address: string } | { recordId: string },
  evidence: string,
) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const subjectBytes = "address" in subject ? zeroPadValue(subject.address, 32) : subject.recordId;
  const typed = complaintTypedData(await signer.domain("ConsentManager"), {
    patient,
    subject: subjectBytes,
    evidenceHash: keccak256(toUtf8Bytes(evidence)),
    nonce,
    deadline,
  });
  return { patient, subject, evidence, nonce, deadline, signature: await signer.sign(typed) };
}

const read = (who: ApiActor) => who.readRecord(recordId);

/** What the consent-related mirror and evidence hold, to check that refusals change nothing. */
function snapshot(): Promise<string> {
  const p = prisma();
  return snapshotOf(
    p.consentGrant.findMany({ orderBy: { grantId: "asc" } }),
    p.consentGrantVersion.count(),
    p.delegation.findMany({ orderBy: [{ patient: "asc" }, { delegate: "asc" }] }),
    p.complaint.count(),
    p.blacklistEntry.findMany({ orderBy: { requester: "asc" } }),
  );
}

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  recordId = a.recordId;
  regulator = await admitRegulator(a);
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("grants as FHIR Consents: the referral flow", () => {
  let grantId: string;

  it("grants hospital B a record; hospital B and its doctor read it; the Consent says so", async () => {
    const granted = await grant(a.patientA, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: a.hospitalB.address,
    });
    const c = granted.consent;
    grantId = grantIdOf(a.patientA.address, recordId, a.hospitalB.address);
    expect(c).toMatchObject({
      resourceType: "Consent",
      id: grantId.slice(2),
      status: "active",
      meta: { versionId: "1" },
    });
    expect(c.identifier[0]!.value).toBe(grantId);
    expect(c.patient.identifier).toEqual({ system: "urn:yyl:address", value: a.patientA.address });
    expect(c.performer[0]!.identifier.value).toBe(a.patientA.address);
    expect(c.provision.actor[0]!.reference.identifier.value).toBe(a.hospitalB.address);
    expect(c.provision.data![0]!.reference.identifier.value).toBe(recordId);
    expect(c.provision.action.map((x) => x.coding[0]!.code)).toEqual(["access"]);
    expect(granted.consentHash).toBe(keccak256(toUtf8Bytes(canonicalJson(c))));
    expect(granted.names[a.hospitalB.address]).toBe("乙医院");
    const version = await prisma().consentGrantVersion.findUniqueOrThrow({
      where: { grantId_version: { grantId, version: 1 } },
    });
    expect(anchorOf(c)).toEqual({ txHash: version.txHash, blockNumber: version.blockNumber });

    expect(JSON.stringify((await read(a.hospitalB)).bundle)).toContain("心绞痛");
    expect(JSON.stringify((await read(a.doctorB)).bundle)).toContain("心绞痛");
  });

  it("shows the grant to its patient, the grantee and a doctor of the grantee, and to no one else", async () => {
    for (const who of [a.patientA, a.hospitalB, a.doctorB, regulator]) {
      const got = await who.request<ConsentWithHash>("GET", `/consent/grants/${grantId}`);
      expect(got.consent.identifier[0]!.value).toBe(grantId);
      expect(got.consentHash).toBe(keccak256(toUtf8Bytes(canonicalJson(got.consent))));
    }
    for (const who of [a.doctorA, a.hospitalA, a.patientB, a.stranger, a.admin]) {
      await expectDenied(
        stack,
        async () => who.request("GET", `/consent/grants/${grantId}`),
        who,
        "consent.read",
      );
    }
    await expectDenied(
      stack,
      async () => a.patientB.request("GET", `/consent/grants/${grantId}/history`),
      a.patientB,
      "consent.read",
    );
    await expectApiError(a.patientA.request("GET", `/consent/grants/0x${"12".repeat(32)}`), 404, "NOT_FOUND");
    await expectApiError(
      a.patientA.request("GET", `/consent/grants/0x${"12".repeat(32)}/history`),
      404,
      "NOT_FOUND",
    );
    await expectBadField(a.patientA.request("GET", "/consent/grants/not-a-hash"), "params.grantId");
  });

  it("refuses grants by anyone but the patient or guardian, and bad input, changing nothing", async () => {
    const before = await snapshot();
    const forA = {
      patient: a.patientA.address,
      scope: { kind: "record" as const, recordId },
      grantee: a.hospitalA.address,
    };
    for (const who of [a.patientB, a.doctorA, a.hospitalB, a.admin, a.stranger]) {
      await expectDenied(
        stack,
        async () => who.request("POST", "/consent/grants", await signedGrant(who, forA)),
        who,
        "consent.grant",
      );
    }
    // Signed by someone other than the caller.
    const bySomeoneElse = await signedGrant(a.patientB, forA);
    await expectBadField(a.patientA.request("POST", "/consent/grants", bySomeoneElse), "signature");
    await expectBadField(
      a.patientA.request(
        "POST",
        "/consent/grants",
        await signedGrant(a.patientA, { ...forA, expiresAt: Date.now() - 1000 }),
      ),
      "expiresAt",
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        "/consent/grants",
        await signedGrant(a.patientA, { ...forA, grantee: a.patientA.address }),
      ),
      "grantee",
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        "/consent/grants",
        await signedGrant(a.patientA, { ...forA, grantee: ZeroAddress }),
      ),
      "grantee",
    );
    await expectBadField(
      a.patientB.request(
        "POST",
        "/consent/grants",
        await signedGrant(a.patientB, { ...forA, patient: a.patientB.address }),
      ),
      "scope.recordId",
    );
    await expectBadField(
      a.patientA.request("POST", "/consent/grants", {
        ...(await signedGrant(a.patientA, forA)),
        level: "admin",
      }),
      "level",
    );
    const missing = await signedGrant(a.patientA, forA);
    await expectBadField(
      a.patientA.request("POST", "/consent/grants", { ...missing, nonce: undefined }),
      "nonce",
    );
    const unknownRecord = { ...forA, scope: { kind: "record" as const, recordId: "0x" + "34".repeat(32) } };
    await expectApiError(
      a.patientA.request("POST", "/consent/grants", await signedGrant(a.patientA, unknownRecord)),
      404,
      "NOT_FOUND",
    );
    expect(await snapshot()).toBe(before);
  });

  it("revokes: a new inactive version, and hospital B and its doctor are refused", async () => {
    const before = await snapshot();
    await expectDenied(
      stack,
      async () =>
        a.hospitalB.request(
          "POST",
          `/consent/grants/${grantId}/revocation`,
          await signedRevocation(a.hospitalB, grantId),
        ),
      a.hospitalB,
      "consent.revoke",
    );
    await expectDenied(
      stack,
      async () =>
        a.patientB.request(
          "POST",
          `/consent/grants/${grantId}/revocation`,
          await signedRevocation(a.patientB, grantId),
        ),
      a.patientB,
      "consent.revoke",
    );
    await expectBadField(
      a.patientA.request("POST", `/consent/grants/${grantId}/revocation`, {
        ...(await signedRevocation(a.patientB, grantId)),
      }),
      "signature",
    );
    await expectBadField(
      a.patientA.request("POST", `/consent/grants/${grantId}/revocation`, {
        nonce: "1",
        deadline: Date.now() + 1000,
      }),
      "signature",
    );
    await expectApiError(
      a.patientA.request(
        "POST",
        `/consent/grants/0x${"56".repeat(32)}/revocation`,
        await signedRevocation(a.patientA, grantId),
      ),
      404,
    );
    expect(await snapshot()).toBe(before);

    const revoked = await revoke(a.patientA, grantId);
    expect(revoked.consent).toMatchObject({ status: "inactive", meta: { versionId: "2" } });
    expect(stateOf(revoked.consent)).toBe("revoked");
    const afterRevoke = await snapshot();
    await expectApiError(revoke(a.patientA, grantId), 409, "CONFLICT");
    expect(await snapshot()).toBe(afterRevoke);

    for (const who of [a.hospitalB, a.doctorB]) {
      const err = await expectApiError(read(who), 403, "FORBIDDEN");
      expect(err.body.error!.message).toContain("no active grant");
    }
  });

  it("re-grants with a short expiry: readable until it expires, then refused as expired", async () => {
    const expiresAt = Date.now() + 4000;
    const regranted = await grant(a.patientA, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: a.hospitalB.address,
      expiresAt,
    });
    expect(regranted.consent).toMatchObject({ status: "active", meta: { versionId: "3" } });
    expect(regranted.consent.provision.period.end).toBe(new Date(expiresAt).toISOString());
    await read(a.hospitalB);
    await sleepUntil(expiresAt + 500);
    const err = await expectApiError(read(a.hospitalB), 403, "FORBIDDEN");
    expect(err.body.error!.message).toContain("expired");
    const now = await a.patientA.request<ConsentWithHash>("GET", `/consent/grants/${grantId}`);
    expect(now.consent.status).toBe("inactive");
    expect(stateOf(now.consent)).toBe("expired");
    const expired = await a.patientA.request<Page<Consent>>("GET", "/consent/grants?status=expired");
    expect(expired.items.map((c) => c.identifier[0]!.value)).toEqual([grantId]);
  });

  it("keeps every version in the history, oldest first, each anchored to its transaction", async () => {
    const history = await a.hospitalB.request<Bundle>("GET", `/consent/grants/${grantId}/history`);
    expect(history).toMatchObject({ resourceType: "Bundle", type: "history", total: 3 });
    expect(history.entry.map((e) => e.resource.meta.versionId)).toEqual(["1", "2", "3"]);
    expect(history.entry.map((e) => stateOf(e.resource))).toEqual(["active", "revoked", "expired"]);
    expect(history.entry.map((e) => e.request!.method)).toEqual(["POST", "PUT", "PUT"]);
    const versions = await prisma().consentGrantVersion.findMany({
      where: { grantId },
      orderBy: { version: "asc" },
    });
    expect(history.entry.map((e) => anchorOf(e.resource).txHash)).toEqual(versions.map((v) => v.txHash));
    expect(new Set(versions.map((v) => v.txHash)).size).toBe(3);
  });
});

describe("category grants and lists", () => {
  it("grants doctor B a category at research level; the Consent names the category", async () => {
    const operator = await operatorOf(stack, a.hospitalA.address);
    await sendAndMirror(
      stack,
      "ConsentManager",
      "classifyRecord",
      [recordId, categoryOf("cardiology")],
      operator,
    );

    const granted = await grant(a.patientA, {
      patient: a.patientA.address,
      scope: { kind: "category", category: "cardiology" },
      grantee: a.doctorB.address,
      level: "research",
    });
    expect(granted.consent.provision.class).toEqual([
      { system: "urn:yiyuanliao:record-category", code: categoryOf("cardiology"), display: "cardiology" },
    ]);
    expect(granted.consent.provision.data).toBeUndefined();
    expect(granted.consent.provision.action.map((x) => x.coding[0]!.code)).toEqual(["access", "use"]);
    await read(a.doctorB);
    await waitForMirror(stack);
    const requests = await a.patientA.request<
      Page<{ requester: string; granted: boolean; reasonName: string; level: number }>
    >("GET", `/consent/access-requests?requester=${a.doctorB.address}&granted=true`);
    expect(requests.items[0]).toMatchObject({
      requester: a.doctorB.address,
      granted: true,
      reasonName: "category-grant",
      level: 2,
    });
  });

  it("narrows the list to what each caller may see, with filters, sort and pages", async () => {
    const ids = async (who: ApiActor, q = "") =>
      (await who.request<Page<Consent>>("GET", `/consent/grants${q}`)).items.map(
        (c) => c.identifier[0]!.value,
      );
    const recordToB = grantIdOf(a.patientA.address, recordId, a.hospitalB.address);
    const categoryToDoctorB = grantIdOf(a.patientA.address, categoryOf("cardiology"), a.doctorB.address);
    expect((await ids(a.patientA)).sort()).toEqual([recordToB, categoryToDoctorB].sort());
    expect(await ids(a.patientB)).toEqual([]);
    expect(await ids(a.hospitalB)).toEqual([recordToB]);
    expect(await ids(a.hospitalA)).toEqual([]);
    expect((await ids(a.doctorB)).sort()).toEqual([recordToB, categoryToDoctorB].sort());
    expect(await ids(a.doctorA)).toEqual([]);
    expect((await ids(regulator)).sort()).toEqual([recordToB, categoryToDoctorB].sort());
    await expectDenied(stack, async () => a.admin.request("GET", "/consent/grants"), a.admin, "consent.list");

    expect(await ids(a.patientA, "?scopeKind=category")).toEqual([categoryToDoctorB]);
    expect(await ids(a.patientA, `?grantee=${a.hospitalB.address}`)).toEqual([recordToB]);
    expect(await ids(a.patientA, "?status=active")).toEqual([categoryToDoctorB]);
    expect((await ids(a.patientA, `?recordId=${recordId}`)).sort()).toEqual(
      [recordToB, categoryToDoctorB].sort(),
    );
    const byExpiry = await ids(a.patientA, "?sort=expiresAt:asc");
    expect(byExpiry).toEqual([recordToB, categoryToDoctorB]);
    const firstPage = await a.patientA.request<Page<Consent>>(
      "GET",
      "/consent/grants?sort=expiresAt:desc&pageSize=1",
    );
    expect(firstPage).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(firstPage.items.map((c) => c.identifier[0]!.value)).toEqual([categoryToDoctorB]);
    await expectBadField(a.patientA.request("GET", "/consent/grants?status=bogus"), "query.status");
    await expectBadField(a.patientA.request("GET", "/consent/grants?sort=patient:asc"), "query.sort");
  });

  it("exports a patient's current Consents as a collection Bundle", async () => {
    for (const who of [a.patientA, regulator]) {
      const b = await who.request<Bundle>("GET", `/consent/export?patient=${a.patientA.address}`);
      expect(b).toMatchObject({ resourceType: "Bundle", type: "collection" });
      expect(b.entry.map((e) => e.resource.meta.versionId).sort()).toEqual(["1", "3"]);
    }
    for (const who of [a.patientB, a.hospitalB, a.doctorB, a.admin]) {
      await expectDenied(
        stack,
        async () => who.request("GET", `/consent/export?patient=${a.patientA.address}`),
        who,
        "consent.read",
      );
    }
    await expectBadField(a.patientA.request("GET", "/consent/export"), "query.patient");
  });
});

describe("guardians", () => {
  let coSigner: ApiActor;
  let shortLived: ApiActor;

  it("lets a patient name guardians, and lists them for both sides", async () => {
    [guardian, coSigner, shortLived] = [a.newActor(), a.newActor(), a.newActor()];
    for (const g of [guardian, coSigner, shortLived]) await g.signIn();
    const d = await a.patientA.request<Record<string, unknown>>(
      "POST",
      "/delegations",
      await signedDelegation(a.patientA, guardian.address, ["grant", "complaint"], Date.now() + DAY),
    );
    expect(d).toMatchObject({
      patient: a.patientA.address,
      delegate: guardian.address,
      scopes: ["grant", "complaint"],
      scopeMask: 5,
      revoked: false,
      active: true,
      patientName: "张三",
    });
    expect(d.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    await a.patientA.request(
      "POST",
      "/delegations",
      await signedDelegation(a.patientA, coSigner.address, ["cosign"], Date.now() + DAY),
    );
    await a.patientA.request(
      "POST",
      "/delegations",
      await signedDelegation(a.patientA, shortLived.address, ["grant"], Date.now() + 3000),
    );

    const mine = await a.patientA.request<Page<{ delegate: string }>>(
      "GET",
      "/delegations?as=patient&sort=validFrom:asc",
    );
    expect(mine.total).toBe(3);
    const held = await guardian.request<Page<{ patient: string; active: boolean }>>("GET", "/delegations");
    expect(held.items).toEqual([expect.objectContaining({ patient: a.patientA.address, active: true })]);
    expect((await a.patientB.request<Page<unknown>>("GET", "/delegations")).total).toBe(0);
    await expectDenied(
      stack,
      async () => a.hospitalA.request("GET", "/delegations"),
      a.hospitalA,
      "delegation.list",
    );
    await expectBadField(a.patientA.request("GET", "/delegations?active=maybe"), "query.active");
  });

  it("refuses delegations by non-patients and bad periods or scopes, changing nothing", async () => {
    const before = await snapshot();
    await expectDenied(
      stack,
      async () =>
        a.doctorA.request(
          "POST",
          "/delegations",
          await signedDelegation(a.doctorA, guardian.address, ["grant"], Date.now() + DAY),
        ),
      a.doctorA,
      "delegation.grant",
    );
    await expectDenied(
      stack,
      async () =>
        guardian.request(
          "POST",
          "/delegations",
          await signedDelegation(guardian, a.patientB.address, ["grant"], Date.now() + DAY),
        ),
      guardian,
      "delegation.grant",
    );
    await expectBadField(
      a.patientA.request("POST", "/delegations", {
        ...(await signedDelegation(a.patientA, guardian.address, ["grant"], Date.now() + DAY)),
        scopes: [],
      }),
      "scopes",
    );
    await expectBadField(
      a.patientA.request("POST", "/delegations", {
        ...(await signedDelegation(a.patientA, guardian.address, ["grant"], Date.now() + DAY)),
        scopes: ["everything"],
      }),
      "scopes.0",
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        "/delegations",
        await signedDelegation(a.patientA, a.patientA.address, ["grant"], Date.now() + DAY),
      ),
      "delegate",
    );
    const now = Date.now();
    await expectBadField(
      a.patientA.request(
        "POST",
        "/delegations",
        await signedDelegation(a.patientA, guardian.address, ["grant"], now + 1000, now + 2000),
      ),
      "validUntil",
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        "/delegations",
        await signedDelegation(a.patientA, guardian.address, ["grant"], now - 1000, now - 5000),
      ),
      "validUntil",
    );
    expect(await snapshot()).toBe(before);
  });

  it("lets a guardian grant, list, read and revoke for the patient, signing as themself", async () => {
    const granted = await grant(guardian, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: a.hospitalA.address,
    });
    expect(granted.consent.performer).toEqual([
      { type: "RelatedPerson", identifier: { system: "urn:yyl:address", value: guardian.address } },
    ]);
    expect(granted.consent.patient.identifier.value).toBe(a.patientA.address);
    const id = granted.consent.identifier[0]!.value;
    const listed = await guardian.request<Page<Consent>>("GET", "/consent/grants");
    expect(listed.items.map((c) => c.identifier[0]!.value)).toContain(id);
    expect(listed.total).toBe(3);
    await guardian.request("GET", `/consent/grants/${id}`);
    const revoked = await revoke(guardian, id);
    expect(revoked.consent.status).toBe("inactive");
    expect(revoked.consent.performer[0]!.identifier.value).toBe(guardian.address);
    // A guardian is no patient of their own: without the patient's name they see nothing extra.
    await expectDenied(
      stack,
      async () => guardian.request("GET", `/consent/export?patient=${a.patientB.address}`),
      guardian,
      "consent.read",
    );
  });

  it("leaves it to the chain to refuse a guardian acting outside their scopes", async () => {
    const before = await snapshot();
    await expectApiError(
      coSigner.request(
        "POST",
        "/consent/grants",
        await signedGrant(coSigner, {
          patient: a.patientA.address,
          scope: { kind: "record", recordId },
          grantee: a.hospitalA.address,
        }),
      ),
      422,
      "ConsentManagerNotAuthorized",
    );
    await expectApiError(
      coSigner.request(
        "POST",
        "/complaints",
        await signedComplaint(coSigner, a.patientA.address, { address: a.hospitalB.address }, "越权投诉"),
      ),
      422,
      "ConsentManagerNotAuthorized",
    );
    expect(await snapshot()).toBe(before);
  });

  it("refuses a guardian whose delegation has expired or was revoked", async () => {
    const until = (
      await prisma().delegation.findUniqueOrThrow({
        where: { patient_delegate: { patient: a.patientA.address, delegate: shortLived.address } },
      })
    ).validUntil;
    await sleepUntil(Number(until) + 500);
    const before = await snapshot();
    const body = await signedGrant(shortLived, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: a.hospitalA.address,
    });
    await expectDenied(
      stack,
      async () => shortLived.request("POST", "/consent/grants", body),
      shortLived,
      "consent.grant",
    );
    expect((await shortLived.request<Page<unknown>>("GET", "/delegations?active=false")).total).toBe(1);
    expect((await shortLived.request<Page<unknown>>("GET", "/consent/grants")).total).toBe(0);

    const sign = async (who: ApiActor, delegate: string) => {
      const { nonce, deadline } = ApiActor.freshNonce();
      const typed = delegationRevocationTypedData(await who.domain("PatientDelegation"), {
        patient: who.address,
        delegate,
        nonce,
        deadline,
      });
      return { nonce, deadline, signature: await who.sign(typed) };
    };
    await expectDenied(
      stack,
      async () =>
        coSigner.request(
          "POST",
          `/delegations/${coSigner.address}/revocation`,
          await sign(coSigner, coSigner.address),
        ),
      coSigner,
      "delegation.revoke",
    );
    await expectApiError(
      a.patientA.request(
        "POST",
        `/delegations/${a.patientB.address}/revocation`,
        await sign(a.patientA, a.patientB.address),
      ),
      404,
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        `/delegations/${coSigner.address}/revocation`,
        await sign(a.patientB, coSigner.address),
      ),
      "signature",
    );
    expect(await snapshot()).toBe(before);

    const ended = await a.patientA.request<{ revoked: boolean; active: boolean }>(
      "POST",
      `/delegations/${coSigner.address}/revocation`,
      await sign(a.patientA, coSigner.address),
    );
    expect(ended).toMatchObject({ revoked: true, active: false });
    await expectApiError(
      a.patientA.request(
        "POST",
        `/delegations/${coSigner.address}/revocation`,
        await sign(a.patientA, coSigner.address),
      ),
      409,
      "CONFLICT",
    );
    const body2 = await signedGrant(coSigner, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: a.hospitalA.address,
    });
    await expectDenied(
      stack,
      async () => coSigner.request("POST", "/consent/grants", body2),
      coSigner,
      "consent.grant",
    );
  });

  it("lets a guardian with the complaint scope file a complaint for the patient", async () => {
    const filed = await guardian.request<Record<string, unknown>>(
      "POST",
      "/complaints",
      await signedComplaint(guardian, a.patientA.address, { recordId }, "病历内容与就诊不符"),
    );
    expect(filed).toMatchObject({
      patient: a.patientA.address,
      signer: guardian.address,
      subjectKind: "record",
      subject: recordId,
      evidenceMatches: true,
    });
  });
});

describe("complaints", () => {
  it("files a complaint about a hospital, keeping the evidence off chain and its hash on chain", async () => {
    const evidence = "乙医院未经同意多次调阅我的病历";
    const filed = await a.patientA.request<Record<string, unknown>>(
      "POST",
      "/complaints",
      await signedComplaint(a.patientA, a.patientA.address, { address: a.hospitalB.address }, evidence),
    );
    expect(filed).toMatchObject({
      patient: a.patientA.address,
      subjectKind: "member",
      subjectAddress: a.hospitalB.address,
      subjectName: "乙医院",
      subject: zeroPadValue(a.hospitalB.address, 32).toLowerCase(),
      evidence,
      evidenceHash: keccak256(toUtf8Bytes(evidence)),
      evidenceMatches: true,
      signer: a.patientA.address,
    });
    const onChain = await stack.app.context.chain.contracts.ConsentManager.call<Record<string, unknown>>(
      "complaintOf",
      [filed.complaintId],
    );
    expect(String(onChain.evidenceHash).toLowerCase()).toBe(keccak256(toUtf8Bytes(evidence)));
    expect(filed.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("lists complaints to their patient (and guardian) and to oversight, and flags altered evidence", async () => {
    const mine = await a.patientA.request<
      Page<{
        complaintId: number;
        subjectKind: string;
        evidence: string;
        evidenceMatches: boolean;
        evidenceHash: string;
      }>
    >("GET", "/complaints?sort=filedAt:asc");
    expect(mine.items.map((c) => c.subjectKind)).toEqual(["record", "member"]);
    expect((await a.admin.request<Page<unknown>>("GET", "/complaints")).total).toBe(2);
    expect((await guardian.request<Page<unknown>>("GET", "/complaints")).total).toBe(2);
    expect(
      (await regulator.request<Page<unknown>>("GET", `/complaints?subject=${a.hospitalB.address}`)).total,
    ).toBe(1);
    expect((await a.admin.request<Page<unknown>>("GET", `/complaints?subject=${recordId}`)).total).toBe(1);
    expect((await a.patientB.request<Page<unknown>>("GET", "/complaints")).total).toBe(0);
    expect((await a.admin.request<Page<unknown>>("GET", `/complaints?from=${Date.now() + DAY}`)).total).toBe(
      0,
    );
    await expectDenied(
      stack,
      async () => a.hospitalB.request("GET", "/complaints"),
      a.hospitalB,
      "complaint.list",
    );
    await expectDenied(
      stack,
      async () => a.doctorB.request("GET", "/complaints"),
      a.doctorB,
      "complaint.list",
    );

    const about = mine.items[1]!;
    const kept = await prisma().evidenceText.findUniqueOrThrow({ where: { hash: about.evidenceHash } });
    await prisma().evidenceText.update({ where: { hash: kept.hash }, data: { text: kept.text + "(改)" } });
    try {
      const after = await a.admin.request<Page<{ complaintId: number; evidenceMatches: boolean }>>(
        "GET",
        `/complaints?subject=${a.hospitalB.address}`,
      );
      expect(after.items[0]).toMatchObject({ complaintId: about.complaintId, evidenceMatches: false });
    } finally {
      await prisma().evidenceText.update({ where: { hash: kept.hash }, data: { text: kept.text } });
    }
  });

  it("refuses complaints by others and bad subjects, changing nothing", async () => {
    const before = await snapshot();
    for (const who of [a.patientB, a.doctorA, a.hospitalB, a.admin]) {
      await expectDenied(
        stack,
        async () =>
          who.request(
            "POST",
            "/complaints",
            await signedComplaint(who, a.patientA.address, { address: a.hospitalB.address }, "x"),
          ),
        who,
        "complaint.file",
      );
    }
    await expectBadField(
      a.patientA.request(
        "POST",
        "/complaints",
        await signedComplaint(a.patientA, a.patientA.address, { address: a.stranger.address }, "x"),
      ),
      "subject.address",
    );
    await expectBadField(
      a.patientA.request(
        "POST",
        "/complaints",
        await signedComplaint(a.patientA, a.patientA.address, { address: a.hospitalB.address }, ""),
      ),
      "evidence",
    );
    await expectBadField(
      a.patientB.request(
        "POST",
        "/complaints",
        await signedComplaint(a.patientB, a.patientB.address, { recordId }, "x"),
      ),
      "subject.recordId",
    );
    await expectApiError(
      a.patientA.request(
        "POST",
        "/complaints",
        await signedComplaint(a.patientA, a.patientA.address, { recordId: "0x" + "78".repeat(32) }, "x"),
      ),
      404,
    );
    const forged = await signedComplaint(
      a.patientB,
      a.patientA.address,
      { address: a.hospitalB.address },
      "x",
    );
    await expectBadField(a.patientA.request("POST", "/complaints", forged), "signature");
    expect(await snapshot()).toBe(before);
  });
});

describe("blacklist", () => {
  let hospitalC: ApiActor;

  it("blacklists a hospital after repeated refused reads; then even a grant does not let it read", async () => {
    hospitalC = a.newActor();
    await hospitalC.signIn();
    await hospitalC.apply("hospital", { name: "丙医院" });
    await a.admin.decide(hospitalC.address, "approve");
    for (let i = 0; i < 5; i++) {
      const err = await expectApiError(read(hospitalC), 403, "FORBIDDEN");
      expect(err.body.error!.message).toContain("no active grant");
    }
    await waitForMirror(stack);
    const listed = await a.admin.request<Page<Record<string, unknown>>>("GET", "/blacklist?active=true");
    expect(listed.items).toEqual([
      expect.objectContaining({
        requester: hospitalC.address,
        requesterName: "丙医院",
        denied: 5,
        active: true,
        liftedAt: null,
      }),
    ]);
    expect((await hospitalC.request<Page<unknown>>("GET", "/blacklist")).total).toBe(1);
    expect((await regulator.request<Page<unknown>>("GET", "/blacklist")).total).toBe(1);
    expect((await a.hospitalB.request<Page<unknown>>("GET", "/blacklist")).total).toBe(0);
    expect((await a.doctorB.request<Page<unknown>>("GET", "/blacklist")).total).toBe(0);
    expect((await a.admin.request<Page<unknown>>("GET", "/blacklist?active=false")).total).toBe(0);
    await expectDenied(
      stack,
      async () => a.patientA.request("GET", "/blacklist"),
      a.patientA,
      "blacklist.list",
    );

    await grant(a.patientA, {
      patient: a.patientA.address,
      scope: { kind: "record", recordId },
      grantee: hospitalC.address,
    });
    const err = await expectApiError(read(hospitalC), 403, "FORBIDDEN");
    expect(err.body.error!.message).toContain("blacklisted");
  });

  it("lets only an alliance admin lift it, once; then the hospital reads under its grant", async () => {
    const sign = async (who: ApiActor, requester: string) => {
      const { nonce, deadline } = ApiActor.freshNonce();
      const typed = blacklistLiftTypedData(await who.domain("ConsentManager"), {
        requester,
        nonce,
        deadline,
      });
      return { nonce, deadline, signature: await who.sign(typed) };
    };
    const before = await snapshot();
    for (const who of [a.hospitalA, hospitalC, regulator, a.patientA]) {
      await expectDenied(
        stack,
        async () =>
          who.request("POST", `/blacklist/${hospitalC.address}/lift`, await sign(who, hospitalC.address)),
        who,
        "blacklist.lift",
      );
    }
    await expectBadField(
      a.admin.request(
        "POST",
        `/blacklist/${hospitalC.address}/lift`,
        await sign(a.patientA, hospitalC.address),
      ),
      "signature",
    );
    await expectApiError(
      a.admin.request(
        "POST",
        `/blacklist/${a.hospitalA.address}/lift`,
        await sign(a.admin, a.hospitalA.address),
      ),
      404,
    );
    await expectBadField(
      a.admin.request("POST", "/blacklist/0x1234/lift", await sign(a.admin, hospitalC.address)),
      "params.requester",
    );
    expect(await snapshot()).toBe(before);

    const lifted = await a.admin.request<Record<string, unknown>>(
      "POST",
      `/blacklist/${hospitalC.address}/lift`,
      await sign(a.admin, hospitalC.address),
    );
    expect(lifted).toMatchObject({ requester: hospitalC.address, active: false, liftedBy: a.admin.address });
    await expectApiError(
      a.admin.request("POST", `/blacklist/${hospitalC.address}/lift`, await sign(a.admin, hospitalC.address)),
      409,
      "CONFLICT",
    );
    expect(JSON.stringify((await read(hospitalC)).bundle)).toContain("心绞痛");
  });

  it("shows the patient every attempt in their access log and access requests", async () => {
    type Entry = {
      actor: string;
      actorName: string;
      action: string;
      outcome: string;
      recordId: string;
      txHash: string | null;
      actorRoles: string[];
    };
    await waitForMirror(stack);
    const log = await a.patientA.request<Page<Entry>>(
      "GET",
      `/consent/access-log?actor=${hospitalC.address}&pageSize=100`,
    );
    expect(log.items.map((e) => e.outcome)).toEqual(["allowed", ...Array(6).fill("denied")]);
    expect(
      log.items.every(
        (e) => e.actorName === "丙医院" && e.recordId === recordId && e.action === "emr.record.read",
      ),
    ).toBe(true);
    expect(log.items.every((e) => /^0x[0-9a-f]{64}$/.test(e.txHash ?? ""))).toBe(true);
    expect(log.items[0]!.actorRoles).toEqual(["hospital"]);

    const requests = await a.patientA.request<Page<{ granted: boolean; reasonName: string; txHash: string }>>(
      "GET",
      `/consent/access-requests?requester=${hospitalC.address}&sort=at:asc`,
    );
    expect(requests.items.map((r) => r.reasonName)).toEqual([
      ...Array(5).fill("no-grant"),
      "blacklisted",
      "record-grant",
    ]);
    expect(requests.items.map((r) => r.txHash)).toEqual([...log.items].reverse().map((e) => e.txHash));
    const refused = await a.patientA.request<Page<unknown>>(
      "GET",
      `/consent/access-requests?requester=${hospitalC.address}&granted=false`,
    );
    expect(refused.total).toBe(6);
  });
});

describe("access log", () => {
  it("shows the patient who read their records, and no one else's log to others", async () => {
    type Entry = { actor: string; outcome: string; action: string };
    await read(a.patientA);
    await waitForMirror(stack);
    const readers = await a.patientA.request<Page<Entry>>(
      "GET",
      `/consent/access-log?outcome=allowed&recordId=${recordId}&pageSize=100`,
    );
    const who = new Set(readers.items.map((e) => e.actor));
    for (const r of [a.patientA, a.hospitalB, a.doctorB]) expect(who.has(r.address)).toBe(true);
    const denied = await a.patientA.request<Page<Entry>>(
      "GET",
      `/consent/access-log?outcome=denied&actor=${a.hospitalB.address}`,
    );
    expect(denied.total).toBe(2); // after the revocation and after the expiry
    expect(
      (await a.admin.request<Page<Entry>>("GET", `/consent/access-log?patient=${a.patientA.address}`)).total,
    ).toBe((await a.patientA.request<Page<Entry>>("GET", "/consent/access-log")).total);
    expect(
      (await a.patientA.request<Page<Entry>>("GET", `/consent/access-log?from=${Date.now() + DAY}`)).total,
    ).toBe(0);
    expect((await regulator.request<Page<Entry>>("GET", "/consent/access-log")).total).toBeGreaterThan(0);
    expect((await a.patientB.request<Page<Entry>>("GET", "/consent/access-log")).total).toBe(0);
    for (const w of [a.patientB, a.hospitalA, a.doctorA, a.stranger]) {
      await expectDenied(
        stack,
        async () => w.request("GET", `/consent/access-log?patient=${a.patientA.address}`),
        w,
        "consent.access-log",
      );
      await expectDenied(
        stack,
        async () => w.request("GET", `/consent/access-requests?patient=${a.patientA.address}`),
        w,
        "consent.access-log",
      );
    }
    await expectDenied(
      stack,
      async () => a.hospitalB.request("GET", "/consent/access-log"),
      a.hospitalB,
      "consent.access-log",
    );
    await expectBadField(a.patientA.request("GET", "/consent/access-log?outcome=maybe"), "query.outcome");
    await expectBadField(a.patientA.request("GET", "/consent/access-requests?granted=1"), "query.granted");
  });

  it("is open to oversight and to the patient's guardian", async () => {
    const requests = (await a.patientA.request<Page<unknown>>("GET", "/consent/access-requests")).total;
    expect(requests).toBeGreaterThan(0);
    for (const who of [guardian, regulator]) {
      expect(
        (await who.request<Page<unknown>>("GET", `/consent/access-requests?patient=${a.patientA.address}`))
          .total,
      ).toBe(requests);
    }
    expect((await a.admin.request<Page<unknown>>("GET", "/consent/access-requests")).total).toBe(requests);
    const log = (await a.patientA.request<Page<unknown>>("GET", "/consent/access-log")).total;
    expect(
      (await guardian.request<Page<unknown>>("GET", `/consent/access-log?patient=${a.patientA.address}`))
        .total,
    ).toBe(log);
    // Without naming the patient a guardian who is no patient has no log of their own.
    await expectDenied(
      stack,
      async () => guardian.request("GET", "/consent/access-log"),
      guardian,
      "consent.access-log",
    );
  });
});
