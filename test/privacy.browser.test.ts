import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { launchChromium, signInWithKey } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The privacy pages in a real browser, with members made quickly through the API: the patient shares
// a record with hospital B until an expiry, B's doctor reads it, the patient sees that read and
// revokes; a doctor breaks the glass, the patient is told, the admin reviews it; guardians,
// complaints, the blacklist and regulators through their pages.

let stack: Stack;
let a: Alliance;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const DAY = 86_400_000;
const PASSWORD = "correct horse 1";
const SHOTS = path.join(repoRoot, ".data/test");
const tid = (p: Page, id: string) => p.getByTestId(id);
const lower = (address: string) => address.toLowerCase();

type Page_<T> = { items: T[]; total: number };

/** A browser context for one person, signed in with their key imported by private key. */
async function signedIn(privateKey: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await signInWithKey(page, stack.baseUrl, privateKey, PASSWORD);
  return page;
}

const keyOf = (actor: ApiActor) => actor.wallet.privateKey;
const readRecord = (who: ApiActor) => who.readRecord(a.recordId);

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  // Break-glass is for certified doctors: hospital B certifies its doctor.
  await a.hospitalB.request("POST", `/members/${a.doctorB.address}/certification`, {
    credential: "执业医师资格证 110000000001",
    expiresAt: Date.now() + 365 * DAY,
  });
  chrome = await launchChromium();
  browser = chrome.browser;
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("privacy portal", () => {
  let patient: Page, doctor: Page, admin: Page;
  let grantId: string;
  let accessId: number;

  it("shares a record with hospital B until an expiry; B's doctor reads it; the patient sees the read", async () => {
    patient = await signedIn(keyOf(a.patientA));
    await tid(patient, "menu-patient-grants").click();
    await tid(patient, "grant-empty").waitFor();

    await tid(patient, "grant-new").click();
    await tid(patient, "grant-scope-record").click();
    await tid(patient, "grant-record").click();
    await tid(patient, `grant-record-option-${a.recordId}`).click();
    await tid(patient, "grant-grantee-hospital").click();
    await tid(patient, "grant-hospital").click();
    await tid(patient, `grant-hospital-option-${lower(a.hospitalB.address)}`).click();
    await tid(patient, "grant-level-view").click();
    await tid(patient, "grant-expiry-30").click();
    const before = Date.now();
    await tid(patient, "grant-submit").click();

    const row = patient.locator(
      `[data-testid^="grant-row-"][data-grantee="${lower(a.hospitalB.address)}"][data-status="active"]`,
    );
    await row.waitFor();
    expect(await row.getAttribute("data-scope")).toBe(a.recordId);
    expect(await row.getAttribute("data-version")).toBe("1");
    grantId = (await row.getAttribute("data-testid"))!.replace("grant-row-", "");
    expect(grantId).toMatch(/^0x[0-9a-f]{64}$/);

    // The grant on chain is what the form said: hospital B, view only, 30 days from now.
    const { consent } = await a.patientA.request<{
      consent: { status: string; provision: { period: { end: string }; action: unknown[] } };
    }>("GET", `/consent/grants/${grantId}`);
    expect(consent.status).toBe("active");
    expect(consent.provision.action).toHaveLength(1);
    const end = new Date(consent.provision.period.end).getTime();
    expect(end).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(end).toBeLessThan(Date.now() + 30 * DAY + 60_000);

    // Hospital B's doctor reads the record through the API under the grant.
    expect(JSON.stringify((await readRecord(a.doctorB)).bundle)).toContain("心绞痛");

    await tid(patient, "menu-patient-access-log").click();
    const read = patient.locator(
      `[data-testid^="access-row-"][data-actor="${lower(a.doctorB.address)}"][data-action="emr.record.read"]`,
    );
    await read.waitFor();
    expect(await read.getAttribute("data-outcome")).toBe("allowed");
    expect(await read.getAttribute("data-record")).toBe(a.recordId);
    expect(await read.textContent()).toContain("乙医生");
    const readId = (await read.getAttribute("data-testid"))!.replace("access-row-", "");
    expect(await tid(patient, `access-tx-${readId}`).textContent()).toMatch(/0x[0-9a-f]{4}/);

    // The outcome filter narrows the log: no refused read yet, so B's read is gone.
    await tid(patient, "access-filter-outcome").click();
    await tid(patient, "access-filter-outcome-option-denied").click();
    await read.waitFor({ state: "detached" });

    // On chain the request was hospital B's, decided under the record grant.
    await tid(patient, "access-tab-requests").click();
    const request = patient.locator(
      `[data-testid^="request-row-"][data-requester="${lower(a.hospitalB.address)}"]`,
    );
    await request.waitFor();
    expect(await request.getAttribute("data-granted")).toBe("true");
    await patient.screenshot({ path: path.join(SHOTS, "privacy-access-log.png"), fullPage: true });
  });

  it("revokes the grant: it shows revoked with two versions, and B's doctor is refused", async () => {
    await tid(patient, "menu-patient-grants").click();
    await tid(patient, `grant-row-${grantId}`).waitFor();
    await tid(patient, `grant-revoke-${grantId}`).click();
    await tid(patient, "grant-revoke-dialog-confirm").click();
    await tid(patient, `grant-row-${grantId}`).waitFor({ state: "detached" });

    await tid(patient, "grant-tab-revoked").click();
    const row = tid(patient, `grant-row-${grantId}`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("revoked");
    expect(await row.getAttribute("data-version")).toBe("2");

    await tid(patient, `grant-history-${grantId}`).click();
    await patient.waitForSelector('[data-testid="grant-history"][data-versions="2"]');
    expect(await tid(patient, "grant-version-1").getAttribute("data-state")).toBe("active");
    expect(await tid(patient, "grant-version-2").getAttribute("data-state")).toBe("revoked");
    await patient.screenshot({ path: path.join(SHOTS, "privacy-grant-history.png"), fullPage: true });
    await patient.keyboard.press("Escape");

    await expectApiError(readRecord(a.doctorB), 403, "FORBIDDEN");
  });

  it("lets a doctor break the glass; the patient is told; the admin reviews it", async () => {
    doctor = await signedIn(keyOf(a.doctorB));
    await tid(doctor, "menu-doctor-emergency").click();
    await tid(doctor, "emergency-warning").waitFor();
    await tid(doctor, "emergency-record").fill(a.recordId);
    await tid(doctor, "emergency-reason-1").click();
    // Not without acknowledging that the access is logged and reviewed.
    await tid(doctor, "emergency-submit").click();
    await doctor.getByText("请先确认").waitFor();
    await tid(doctor, "emergency-ack").click();
    await tid(doctor, "emergency-submit").click();
    const result = tid(doctor, "emergency-result");
    await result.waitFor();
    accessId = Number(await result.getAttribute("data-access-id"));
    expect(accessId).toBeGreaterThan(0);
    await expect.poll(() => tid(doctor, "emr-diagnosis").textContent()).toContain("心绞痛");
    await tid(doctor, `emergency-row-${accessId}`).waitFor();
    expect(await tid(doctor, `emergency-row-${accessId}`).getAttribute("data-status")).toBe("pending");
    await doctor.screenshot({ path: path.join(SHOTS, "privacy-break-glass.png"), fullPage: true });

    // The patient's bell counts it (read again on every page change) and lists it, unseen until marked seen.
    await tid(patient, "menu-patient-access-log").click();
    await patient.waitForSelector('[data-testid="notification-bell"]:not([data-unseen="0"])');
    await tid(patient, "notification-bell").click();
    const note = tid(patient, `notification-break-glass:${accessId}`);
    await note.waitFor();
    expect(await note.getAttribute("data-seen")).toBe("false");
    expect(await note.textContent()).toContain("乙医生");
    expect(Number(await tid(patient, "notification-bell").getAttribute("data-unseen"))).toBeGreaterThan(0);
    await patient.screenshot({ path: path.join(SHOTS, "privacy-notifications.png") });
    await tid(patient, "notifications-mark-seen").click();
    await patient.waitForSelector(`[data-testid="notification-break-glass:${accessId}"][data-seen="true"]`);
    await patient.waitForSelector('[data-testid="notification-bell"][data-unseen="0"]');
    await patient.keyboard.press("Escape");

    admin = await signedIn(stack.admin.privateKey);
    await tid(admin, "menu-alliance-emergency").click();
    const queued = tid(admin, `emergency-row-${accessId}`);
    await queued.waitFor();
    expect(await queued.getAttribute("data-status")).toBe("pending");
    await admin.screenshot({ path: path.join(SHOTS, "privacy-emergency-review.png") });
    await tid(admin, `review-justified-${accessId}`).click();
    await tid(admin, "review-dialog-confirm").click();
    await queued.waitFor({ state: "detached" });
    await tid(admin, "emergency-tab-reviewed").click();
    await admin.waitForSelector(`[data-testid="emergency-row-${accessId}"][data-status="justified"]`);

    const reviewed = await a.admin.request<
      Page_<{ accessId: number; reviewOutcome: string; reviewedBy: string }>
    >("GET", "/emergency/accesses?reviewed=true");
    expect(reviewed.items.find((x) => x.accessId === accessId)).toMatchObject({
      reviewOutcome: "justified",
      reviewedBy: stack.admin.address,
    });
  });

  it("names and revokes a guardian, and files a complaint", async () => {
    await tid(patient, "menu-patient-guardians").click();
    await tid(patient, "guardian-new").click();
    await tid(patient, "guardian-address").fill(a.patientB.address);
    await tid(patient, "guardian-scope-complaint").click();
    await tid(patient, "guardian-period-90").click();
    await tid(patient, "guardian-submit").click();
    const guardian = tid(patient, `guardian-row-${lower(a.patientB.address)}`);
    await guardian.waitFor();
    expect(await guardian.getAttribute("data-status")).toBe("active");
    // The patient's browser gave the new guardian the keys of the records already written.
    expect(JSON.stringify((await a.patientB.readRecord(a.recordId)).bundle)).toContain("心绞痛");
    const held = await a.patientB.request<Page_<{ patient: string; scopes: string[]; active: boolean }>>(
      "GET",
      "/delegations?as=delegate",
    );
    expect(held.items).toEqual([
      expect.objectContaining({ patient: a.patientA.address, scopes: ["grant", "complaint"], active: true }),
    ]);
    await tid(patient, `guardian-revoke-${lower(a.patientB.address)}`).click();
    await tid(patient, "guardian-revoke-dialog-confirm").click();
    await patient.waitForSelector(
      `[data-testid="guardian-row-${lower(a.patientB.address)}"][data-status="revoked"]`,
    );

    await tid(patient, "menu-patient-complaints").click();
    await tid(patient, "complaint-new").click();
    await tid(patient, "complaint-subject-hospital").click();
    await tid(patient, "complaint-hospital").click();
    await tid(patient, `complaint-hospital-option-${lower(a.hospitalB.address)}`).click();
    const evidence = "乙医院在未告知我的情况下多次请求查看我的病历。";
    await tid(patient, "complaint-evidence").fill(`  ${evidence}  `);
    await tid(patient, "complaint-submit").click();
    const complaint = patient.locator(
      `[data-testid^="complaint-row-"][data-subject="${lower(a.hospitalB.address)}"]`,
    );
    await complaint.waitFor();
    const id = (await complaint.getAttribute("data-testid"))!.replace("complaint-row-", "");
    expect(await tid(patient, `complaint-evidence-${id}`).getAttribute("data-matches")).toBe("true");
    await patient.screenshot({ path: path.join(SHOTS, "privacy-complaints.png") });
    const filed = await a.admin.request<
      Page_<{ complaintId: number; evidence: string; subjectAddress: string }>
    >("GET", "/complaints");
    expect(filed.items.find((c) => c.complaintId === Number(id))).toMatchObject({
      evidence,
      subjectAddress: a.hospitalB.address,
    });
  });

  it("lifts a blacklisting and manages regulators from the admin pages", async () => {
    // Without the grant, every read by B's doctor is refused on chain as hospital B's; enough refusals list it.
    const listed = async () =>
      (await a.admin.request<Page_<{ requester: string }>>("GET", "/blacklist?active=true")).items.some(
        (e) => e.requester === a.hospitalB.address,
      );
    for (let i = 0; i < 6 && !(await listed()); i++) await expectApiError(readRecord(a.doctorB), 403);
    expect(await listed()).toBe(true);

    await tid(admin, "menu-alliance-blacklist").click();
    const entry = tid(admin, `blacklist-row-${lower(a.hospitalB.address)}`);
    await entry.waitFor();
    expect(await entry.getAttribute("data-status")).toBe("active");
    await tid(admin, `lift-${lower(a.hospitalB.address)}`).click();
    await tid(admin, "lift-dialog-confirm").click();
    await entry.waitFor({ state: "detached" });
    await tid(admin, "blacklist-tab-lifted").click();
    await admin.waitForSelector(
      `[data-testid="blacklist-row-${lower(a.hospitalB.address)}"][data-status="lifted"]`,
    );
    expect(await listed()).toBe(false);

    const regulator = Wallet.createRandom().address;
    await tid(admin, "menu-alliance-regulators").click();
    await tid(admin, "regulator-new").click();
    await tid(admin, "regulator-address").fill(regulator);
    await tid(admin, "regulator-name").fill("市卫健委监督处");
    await tid(admin, "regulator-organization").fill("杭州市卫生健康委员会");
    await tid(admin, "regulator-kind").click();
    await tid(admin, "regulator-kind-option-health-authority").click();
    await tid(admin, "regulator-submit").click();
    const row = tid(admin, `regulator-row-${lower(regulator)}`);
    await row.waitFor();
    await admin.screenshot({ path: path.join(SHOTS, "privacy-regulators.png") });
    expect(await row.getAttribute("data-status")).toBe("active");
    await tid(admin, `regulator-revoke-${lower(regulator)}`).click();
    await tid(admin, "regulator-revoke-dialog-note").fill("任期结束");
    await tid(admin, "regulator-revoke-dialog-confirm").click();
    await row.waitFor({ state: "detached" });
    const after = await a.admin.request<{ active: boolean; revokedBy: string }>(
      "GET",
      `/regulators/${regulator}`,
    );
    expect(after).toMatchObject({ active: false, revokedBy: stack.admin.address });
  });

  it("shows the privacy pages in English too", async () => {
    await tid(patient, "menu-patient-grants").click();
    expect(await tid(patient, "menu-patient-grants").textContent()).toContain("授权管理");
    await tid(patient, "lang-switch").click();
    await expect.poll(() => tid(patient, "lang-switch").getAttribute("data-locale")).toBe("en-US");
    await expect.poll(() => tid(patient, "menu-patient-grants").textContent()).toContain("Sharing");
    expect(await tid(patient, "menu-patient-access-log").textContent()).toContain("Access log");
  });
});
