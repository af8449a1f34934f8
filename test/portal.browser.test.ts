import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import { launchChromium } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The first slice through the portal in a real browser: keys made in the browser, applications,
// review, a doctor's draft, the patient's co-signature, the doctor's signature, the record on chain
// for both, and its verification against the chain. One browser context per person.

let stack: Stack;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const tid = (p: Page, id: string) => p.getByTestId(id);
const PASSWORD = "correct horse 1";

async function person(): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

async function newUser(p: Page): Promise<string> {
  await p.goto(stack.baseUrl + "/");
  await tid(p, "password").fill(PASSWORD);
  await tid(p, "password-confirm").fill(PASSWORD);
  await tid(p, "create-key").click();
  const address = await tid(p, "current-address").getAttribute("data-address");
  await tid(p, "sign-in").click();
  await p.waitForURL(/\/apply$/);
  return address!;
}

async function apply(p: Page, role: string, name: string, hospital?: string): Promise<string> {
  await tid(p, `apply-role-${role}`).click();
  await tid(p, "apply-name").fill(name);
  if (hospital) {
    await tid(p, "apply-hospital").click();
    await tid(p, `apply-hospital-option-${hospital.toLowerCase()}`).click();
  }
  await tid(p, "apply-submit").click();
  await tid(p, "application-status").waitFor();
  return (await tid(p, "application-status").getAttribute("data-status"))!;
}

async function becomeMember(p: Page): Promise<void> {
  await tid(p, "refresh-status").click();
  await tid(p, "go-home").click();
  await p.waitForURL(/\/home$/);
}

beforeAll(async () => {
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  chrome = await launchChromium();
  browser = chrome.browser;
}, 180_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("portal", () => {
  let admin: Page, hospital: Page, doctor: Page, patient: Page;
  let hospitalAddress: string, doctorAddress: string, patientAddress: string;
  let recordId: string;

  async function approve(address: string) {
    const a = address.toLowerCase();
    await tid(admin, "member-refresh").click();
    await tid(admin, `approve-${a}`).click();
    await tid(admin, "decision-confirm").click();
    await admin.waitForSelector(`[data-testid="member-row-${a}"]`, { state: "detached" });
  }

  it("admits a hospital, a patient and a doctor through the portal", async () => {
    [admin, hospital, doctor, patient] = await Promise.all([person(), person(), person(), person()]);

    await admin.goto(stack.baseUrl + "/");
    await tid(admin, "tab-import").click();
    await tid(admin, "import-private-key").fill(stack.admin.privateKey);
    await tid(admin, "import-password").fill(PASSWORD);
    await tid(admin, "import-password-confirm").fill(PASSWORD);
    await tid(admin, "import-key").click();
    await tid(admin, "sign-in").click();
    await admin.waitForURL(/\/home$/);
    await tid(admin, "menu-alliance-members").click();

    hospitalAddress = await newUser(hospital);
    expect(await apply(hospital, "hospital", "浏览器示范医院")).toBe("pending");
    await approve(hospitalAddress);
    await becomeMember(hospital);

    patientAddress = await newUser(patient);
    expect(await apply(patient, "patient", "王患者")).toBe("pending");
    await approve(patientAddress);
    await becomeMember(patient);

    doctorAddress = await newUser(doctor);
    expect(await apply(doctor, "doctor", "陈医生", hospitalAddress)).toBe("awaiting-hospital");
    await tid(hospital, "menu-hospital-doctors").click();
    await tid(hospital, `register-${doctorAddress.toLowerCase()}`).click();
    await hospital.waitForSelector(`[data-testid="member-row-${doctorAddress.toLowerCase()}"]`, { state: "detached" });
    await approve(doctorAddress);
    await becomeMember(doctor);
  });

  it("writes a record signed by the patient and the doctor, visible to both and verified on chain", async () => {
    await tid(doctor, "menu-doctor-draft-new").click();
    // a doctor with no record, grant or visit of this patient yet finds them by their full address
    await tid(doctor, "draft-patient").click();
    await tid(doctor, "draft-patient").locator("input").fill(patientAddress);
    await tid(doctor, `draft-patient-option-${patientAddress.toLowerCase()}`).click();
    await tid(doctor, "draft-title").fill("门诊病历：头痛");
    await tid(doctor, "draft-complaint").fill("反复头痛一周");
    await tid(doctor, "draft-diagnosis").fill("紧张性头痛");
    await tid(doctor, "draft-notes").fill("注意休息，一周后复诊");
    await tid(doctor, "draft-submit").click();
    await doctor.waitForURL(/\/emr\/drafts\/[0-9a-f-]{36}$/);
    const draftId = doctor.url().split("/").pop()!;

    await tid(patient, "menu-patient-drafts").click();
    await tid(patient, `draft-row-${draftId}`).click();
    await expect.poll(() => tid(patient, "emr-diagnosis").textContent()).toContain("紧张性头痛");
    await tid(patient, "cosign").click();
    await patient.waitForSelector('[data-testid="draft-status"][data-status="awaiting-doctor"]');

    await tid(doctor, "draft-reload").click();
    await tid(doctor, "sign-submit").click();
    await doctor.waitForSelector('[data-testid="draft-status"][data-status="on-chain"]');
    await tid(doctor, "open-record").click();
    await doctor.waitForURL(/\/emr\/records\/0x[0-9a-f]{64}$/);
    recordId = doctor.url().split("/").pop()!;

    for (const [page, menu] of [
      [patient, "menu-patient-records"],
      [doctor, "menu-doctor-records"],
    ] as const) {
      await tid(page, menu).click();
      const row = tid(page, `record-row-${recordId}`);
      await row.waitFor();
      expect(Number(await row.getAttribute("data-block"))).toBeGreaterThan(0);
      await row.click();
      await page.waitForURL(new RegExp(`/emr/records/${recordId}$`));
      await expect.poll(() => tid(page, "emr-title").textContent()).toContain("门诊病历：头痛");
      await tid(page, "verify").click();
      await page.waitForSelector('[data-testid="verify-result"][data-verified="true"]');
      const checks = await page.locator('[data-testid^="verify-check-"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-ok")));
      expect(checks.length).toBeGreaterThanOrEqual(10);
      expect(checks.every((ok) => ok === "true")).toBe(true);
    }
    await patient.screenshot({ path: path.join(repoRoot, ".data/test/portal-record.png"), fullPage: true });
  });

  it("switches the portal to English", async () => {
    const before = await tid(patient, "menu-patient-records").textContent();
    await tid(patient, "lang-switch").click();
    await expect.poll(() => tid(patient, "lang-switch").getAttribute("data-locale")).toBe("en-US");
    expect(await tid(patient, "menu-patient-records").textContent()).not.toBe(before);
    expect(await tid(patient, "menu-patient-records").textContent()).toMatch(/[A-Za-z]/);
  });
});
