import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NoKeyForReaderError,
  SCOPE_KIND,
  canonicalPolicy,
  contentHashOf,
  grantTypedData,
  openRecordVersion,
  policyGranteeOf,
  type RecordKeyWrap,
} from "@yyl/sdk";
import { repoRoot } from "../server/src/config.ts";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { launchChromium, signInWithKey } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Issue 6's done-when in a real browser: the patient shares a record in the portal with a CP-ABE
// policy that doctor B (hospital B) satisfies and doctor A2 (hospital A) does not; B opens it in the
// portal and sees its content, A2 is told it was not encrypted for them; the patient revokes the
// policy grant; doctor A corrects the record in the portal, sealed in A's browser for the readers the
// record has now; B can no longer read the new version, in the portal or through the API, and none of
// the new version's wraps opens with B's keys.

let stack: Stack;
let a: Alliance;
let doctorA2: ApiActor;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const PASSWORD = "correct horse 1";
const SHOTS = path.join(repoRoot, ".data/test");
const tid = (p: Page, id: string) => p.getByTestId(id);
const lower = (address: string) => address.toLowerCase();
type Content = { envelope: string; wraps: RecordKeyWrap[] };

/** A browser context for one person, signed in with their key imported by private key. */
async function signedIn(privateKey: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  // Decryption runs in the page: its errors are the first thing to read when a step fails.
  page.on("pageerror", (e) => console.error(`[browser] ${e.message}`));
  page.on("console", (m) => m.type() === "error" && console.error(`[browser console] ${m.text()}`));
  await signInWithKey(page, stack.baseUrl, privateKey, PASSWORD);
  return page;
}

const keyOf = (actor: ApiActor) => actor.wallet.privateKey;
/**
 * Opens a page by its address. That reloads the portal, which locks the key; opening sealed content
 * needs it, so the password prompt comes up, unless the server refuses the read first.
 */
async function open(p: Page, address: string): Promise<void> {
  await p.goto(stack.baseUrl + address);
  const prompt = tid(p, "unlock-dialog-password");
  await p
    .locator(
      '[data-testid="unlock-dialog-password"], [data-testid="load-error"], [data-testid="emr-diagnosis"]',
    )
    .first()
    .waitFor();
  if (await prompt.isVisible()) {
    await prompt.fill(PASSWORD);
    await tid(p, "unlock-dialog-confirm").click();
  }
}
const recordPage = (p: Page, version?: number) =>
  open(p, `/emr/records/${a.recordId}${version ? `/versions/${version}` : ""}`);
/** What a reader brings to open a version: address, private key, attribute key (fresh from the server). */
const readerOf = async (who: ApiActor) => ({
  address: who.address,
  privateKey: who.wallet.privateKey,
  abeUserKey: await who.attributeKey(true),
});

/** A denial shown in place of the content: "not encrypted for you" or "access denied", never a bare failure. */
async function expectDenied(denied: ReturnType<typeof tid>): Promise<void> {
  const code = await denied.getAttribute("data-code");
  expect(["FORBIDDEN", "NO_KEY_FOR_READER"]).toContain(code);
  const text = await denied.textContent();
  if (code === "FORBIDDEN") expect(text).toContain("无权查看");
  else expect(text).toContain("此版本未为您加密");
  expect(text).not.toMatch(/not allowed|not encrypted for you/); // the server's English stays out
}

/**
 * The patient grants `grantee` the record in person through the API and stops there, as if their
 * browser closed before it wrapped the keys: the grant stands, the grantee holds no key. Answers its id.
 */
async function grantWithoutKeys(grantee: string): Promise<string> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const expiresAt = Date.now() + 30 * 86_400_000;
  const message = { patient: a.patientA.address, scope: a.recordId, scopeKind: SCOPE_KIND.record, grantee };
  const typed = grantTypedData(await a.patientA.domain("ConsentManager"), {
    ...message,
    level: 1,
    expiresAt,
    nonce,
    deadline,
  });
  const made = await a.patientA.request<{ consent: { identifier: { system: string; value: string }[] } }>(
    "POST",
    "/consent/grants",
    {
      patient: a.patientA.address,
      scope: { kind: "record", recordId: a.recordId },
      grantee,
      level: "view",
      expiresAt,
      nonce,
      deadline,
      signature: await a.patientA.sign(typed),
    },
  );
  return made.consent.identifier.find((i) => i.system === "urn:yiyuanliao:grant")!.value.toLowerCase();
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  // A second doctor of hospital A: same role, another hospital than the policy names.
  doctorA2 = a.newActor();
  await doctorA2.signIn();
  await doctorA2.apply("doctor", { name: "甲二医生", department: "心内科" }, a.hospitalA.address);
  await a.hospitalA.registerDoctor(doctorA2.address);
  await a.admin.decide(doctorA2.address, "approve");
  chrome = await launchChromium();
  browser = chrome.browser;
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("end-to-end record encryption in the portal", () => {
  const policy = () => canonicalPolicy(`hospital:${lower(a.hospitalB.address)} AND role:doctor`);
  let patient: Page, doctorB: Page, a2: Page, doctorA: Page;
  let grantId: string;

  it("the patient shares the record by policy: the builder writes the policy, a bad one is named", async () => {
    patient = await signedIn(keyOf(a.patientA));
    await tid(patient, "menu-patient-grants").click();
    await tid(patient, "grant-new").click();
    await tid(patient, "grant-scope-record").click();
    await tid(patient, "grant-record").click();
    await tid(patient, `grant-record-option-${a.recordId}`).click();
    await tid(patient, "grant-grantee-policy").click();

    // A policy that does not parse is named under the field, and cannot be submitted.
    await tid(patient, "grant-policy").fill("role:doctor AND");
    await tid(patient, "grant-policy-error").waitFor();
    await tid(patient, "grant-submit").click();
    await patient.getByText("策略无效").first().waitFor();

    // The builder: hospital B, role doctor (the default) → the canonical policy in the text field.
    await tid(patient, "grant-policy-hospitals").click();
    await tid(patient, `grant-policy-hospitals-option-${lower(a.hospitalB.address)}`).click();
    await tid(patient, "grant-policy").click(); // closes the multi-select's dropdown
    await patient.waitForSelector(`[data-testid="grant-policy-canonical"][data-policy="${policy()}"]`);
    expect(await tid(patient, "grant-policy").inputValue()).toBe(policy());

    await tid(patient, "grant-level-view").click();
    await tid(patient, "grant-expiry-30").click();
    await tid(patient, "grant-submit").click();
    // After the grant, the patient's browser wraps the record's keys for the policy and says so.
    const told = patient.locator(".el-message").filter({ hasText: /已将 1 份病历|未能共享/ });
    await told.first().waitFor();
    expect(await told.first().textContent()).toContain("已将 1 份病历（1 个版本）的密钥加密给被授权方");

    // The list shows the policy in place of a member.
    const row = patient.locator(
      `[data-testid^="grant-row-"][data-policy="${policy()}"][data-status="active"]`,
    );
    await row.waitFor();
    expect(await row.getAttribute("data-grantee")).toBe(lower(policyGranteeOf(policy())));
    expect(await row.getAttribute("data-scope")).toBe(a.recordId);
    grantId = (await row.getAttribute("data-testid"))!.replace("grant-row-", "");
    expect(await tid(patient, `grant-policy-${grantId}`).textContent()).toBe(policy());
    await patient.screenshot({ path: path.join(SHOTS, "encryption-policy-grant.png"), fullPage: true });

    // The patient's browser wrapped version 1's key under the policy: B's keys open it, A2's do not.
    const asB = await a.doctorB.request<{ content: Content }>("GET", `/emr/records/${a.recordId}`);
    expect(asB.content.wraps).toEqual([expect.objectContaining({ kind: "abe", policy: policy() })]);
    expect(
      JSON.stringify(await openRecordVersion(asB.content, a.recordId, 1, await readerOf(a.doctorB))),
    ).toContain("心绞痛");
  }, 180_000);

  it("doctor B, who satisfies the policy, opens the record in the portal", async () => {
    doctorB = await signedIn(keyOf(a.doctorB));
    await recordPage(doctorB);
    await expect.poll(() => tid(doctorB, "emr-diagnosis").textContent()).toContain("心绞痛");
    await doctorB.screenshot({ path: path.join(SHOTS, "encryption-doctor-b-reads.png"), fullPage: true });
  }, 180_000);

  it("doctor A2, who does not, is refused in the portal and cannot open the shared key", async () => {
    a2 = await signedIn(keyOf(doctorA2));
    await recordPage(a2);
    const denied = tid(a2, "load-error");
    await denied.waitFor();
    // The chain refuses A2 (no grant of theirs is satisfied): the page says so in words, not as a failure.
    await expectDenied(denied);
    expect(await tid(a2, "emr-diagnosis").count()).toBe(0);
    await a2.screenshot({ path: path.join(SHOTS, "encryption-not-matching.png"), fullPage: true });
    await expectApiError(doctorA2.request("GET", `/emr/records/${a.recordId}`), 403);
    // Even holding the policy wrap B was given, A2's attribute key does not satisfy its policy.
    const asB = await a.doctorB.request<{ content: Content }>("GET", `/emr/records/${a.recordId}`);
    await expect(
      openRecordVersion(asB.content, a.recordId, 1, await readerOf(doctorA2)),
    ).rejects.toBeInstanceOf(NoKeyForReaderError);
  }, 180_000);

  it("a grant whose keys were never shared reads as 'not encrypted for you' until the patient shares them", async () => {
    const a2Grant = await grantWithoutKeys(doctorA2.address);
    await recordPage(a2);
    await a2.waitForSelector('[data-testid="load-error"][data-code="NO_KEY_FOR_READER"]');
    await expectDenied(tid(a2, "load-error"));
    await a2.screenshot({ path: path.join(SHOTS, "encryption-not-for-you.png"), fullPage: true });

    // The patient shares the keys again from the grant list; A2 then reads the record.
    await tid(patient, "menu-patient-grants").click();
    await tid(patient, "grant-refresh").click(); // the list is already open: read it again
    await tid(patient, `grant-share-keys-${a2Grant}`).click();
    await patient.locator(".el-message").filter({ hasText: "已将 1 份病历（1 个版本）" }).first().waitFor();
    await recordPage(a2);
    await expect.poll(() => tid(a2, "emr-diagnosis").textContent()).toContain("心绞痛");
  }, 180_000);

  it("the patient revokes the policy grant; B is refused at once", async () => {
    await tid(patient, "menu-patient-grants").click();
    await tid(patient, `grant-revoke-${grantId}`).click();
    await tid(patient, "grant-revoke-dialog-confirm").click();
    await tid(patient, `grant-row-${grantId}`).waitFor({ state: "detached" });
    await tid(patient, "grant-tab-revoked").click();
    await patient.waitForSelector(`[data-testid="grant-row-${grantId}"][data-status="revoked"]`);
    await expectApiError(a.doctorB.request("GET", `/emr/records/${a.recordId}`), 403);
  }, 180_000);

  it("doctor A corrects the record in the portal; the new version is sealed without B", async () => {
    doctorA = await signedIn(keyOf(a.doctorA));
    await recordPage(doctorA);
    await expect.poll(() => tid(doctorA, "emr-diagnosis").textContent()).toContain("心绞痛");
    await tid(doctorA, "record-correct").click();
    await tid(doctorA, "correction-diagnosis").fill("不稳定型心绞痛");
    await tid(doctorA, "correction-reason").fill("复查后修正诊断");
    const posted = doctorA.waitForRequest(
      (r) => r.method() === "POST" && r.url().endsWith(`/api/emr/records/${a.recordId}/drafts`),
    );
    await tid(doctorA, "correction-submit").click();
    const sealed = JSON.parse((await posted).postData()!) as { content: Content & { fieldsRoot: string } };
    await doctorA.waitForURL(/\/emr\/drafts\//);
    const draftId = doctorA.url().split("/emr/drafts/")[1]!;

    // What A's browser sent: no wrap for B, no policy B satisfies; B's keys open none of it.
    const wraps = sealed.content.wraps;
    expect(wraps.some((w) => w.kind === "ecies" && lower(w.reader) === lower(a.doctorB.address))).toBe(false);
    expect(wraps.some((w) => w.kind === "abe" && w.policy === policy())).toBe(false);
    await expect(
      openRecordVersion(sealed.content, a.recordId, 2, await readerOf(a.doctorB)),
    ).rejects.toBeInstanceOf(NoKeyForReaderError);
    // The patient's keys do open it.
    expect(
      JSON.stringify(await openRecordVersion(sealed.content, a.recordId, 2, await readerOf(a.patientA))),
    ).toContain("不稳定型心绞痛");

    // The patient co-signs in the portal (after their browser opened it and checked its hashes), A signs.
    await open(patient, `/emr/drafts/${draftId}`);
    await expect.poll(() => tid(patient, "emr-diagnosis").textContent()).toContain("不稳定型心绞痛");
    await tid(patient, "cosign").click();
    await patient.waitForSelector('[data-testid="draft-status"][data-status="awaiting-doctor"]');
    await a.doctorA.signDraft(draftId, "doctor");
    await expect
      .poll(
        async () =>
          (await a.patientA.request<{ record: { version: number } }>("GET", `/emr/records/${a.recordId}`))
            .record.version,
        {
          timeout: 60_000,
          interval: 1_000,
        },
      )
      .toBe(2);

    // What the server keeps is what A's browser sealed.
    const history = await a.patientA.request<{ items: { version: number; contentHash: string }[] }>(
      "GET",
      `/emr/records/${a.recordId}/versions`,
    );
    expect(history.items.find((v) => v.version === 2)!.contentHash.toLowerCase()).toBe(
      contentHashOf(sealed.content.envelope).toLowerCase(),
    );
  }, 180_000);

  it("B can no longer read the new version: the portal shows the denial, the API refuses, no stored wrap is B's", async () => {
    await recordPage(doctorB, 2);
    const denied = tid(doctorB, "load-error");
    await denied.waitFor();
    await expectDenied(denied);
    expect(await tid(doctorB, "emr-diagnosis").count()).toBe(0);
    await doctorB.screenshot({ path: path.join(SHOTS, "encryption-revoked-reader.png"), fullPage: true });
    await expectApiError(a.doctorB.request("GET", `/emr/records/${a.recordId}/versions/2`), 403);

    // Every wrap the server stored for version 2 that a reader can see: the patient's and the author's.
    // None opens with B's keys; the patient's opens the corrected content.
    const seen: RecordKeyWrap[] = [];
    for (const who of [a.patientA, a.doctorA]) {
      const r = await who.request<{ content: Content }>("GET", `/emr/records/${a.recordId}/versions/2`);
      seen.push(...r.content.wraps);
      expect(JSON.stringify(await who.readRecord(a.recordId, 2))).toContain("不稳定型心绞痛");
    }
    const { envelope } = (await a.patientA.request<{ content: Content }>("GET", `/emr/records/${a.recordId}`))
      .content;
    await expect(
      openRecordVersion({ envelope, wraps: seen }, a.recordId, 2, await readerOf(a.doctorB)),
    ).rejects.toBeInstanceOf(NoKeyForReaderError);
    // Version 1 keeps its policy wrap (revocation cannot take back what was shared), but the server refuses B.
    await expectApiError(a.doctorB.request("GET", `/emr/records/${a.recordId}/versions/1`), 403);
  }, 180_000);
});
