import path from "node:path";
import { canonicalJson } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { launchChromium } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Care visits and record changes through the portal in a real browser. The alliance is built through
// the REST API; the patient's and the doctor's keys are imported into the browser. The patient opens
// a visit at hospital A (挂号), doctor A records its steps up to payment and dispensing (which finishes
// it), the patient sees the finished timeline; then doctor A corrects the patient's record with a
// reason, the patient co-signs, the doctor signs, both see version 2 and its history; at last the
// patient deletes the record and both see it as deleted, without its content.

interface Timeline {
  visit: { visitId: string; patient: string; hospital: string; lastStep: number; finished: boolean };
  steps: { step: number; zh: string; details: unknown; detailsText: string | null; contentHash: string; txHash: string }[];
  next: { step: number }[];
}
interface History {
  items: { version: number; reason: string | null; doctor: string }[];
  record: { version: number; deleted: boolean };
  deletion: { reason: string | null } | null;
}

let stack: Stack;
let a: Alliance;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const tid = (p: Page, id: string) => p.getByTestId(id);
const PASSWORD = "correct horse 1";

/** A browser context for one person, signed in with the private key of their API actor. */
async function signedIn(actor: ApiActor): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const p = await context.newPage();
  p.setDefaultTimeout(30_000);
  await p.goto(stack.baseUrl + "/");
  await tid(p, "tab-import").click();
  await tid(p, "import-kind-private-key").click();
  await tid(p, "import-private-key").fill(actor.wallet.privateKey);
  await tid(p, "import-password").fill(PASSWORD);
  await tid(p, "import-password-confirm").fill(PASSWORD);
  await tid(p, "import-key").click();
  expect(await tid(p, "current-address").getAttribute("data-address")).toBe(actor.address);
  await tid(p, "sign-in").click();
  await p.waitForURL(/\/home$/);
  return p;
}

/** The test ids of the elements whose id starts with `prefix`, in page order. */
const idsWithPrefix = (p: Page, prefix: string) =>
  p.locator(`[data-testid^="${prefix}"]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));

beforeAll(async () => {
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  chrome = await launchChromium();
  browser = chrome.browser;
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("care visits in the portal", () => {
  let patient: Page, doctor: Page;
  let visitId: string;
  const details: Record<number, string> = {
    1: "普通门诊 心内科",
    2: "候诊号 A012",
    3: "胸闷三天，心电图示 ST 段压低\n处方：硝酸甘油 0.5mg 舌下含服",
    5: "缴费 128.50 元，已取药",
  };
  /** What the portal signs: text for most steps; for payment the note and the reimbursement flag, which
   *  is off (and locked) because patient A's tier (普通, no settled points) lacks the perk. */
  const signed = (step: number): unknown =>
    step === 5 ? { note: details[5], reimbursement: false } : details[step];

  it("lets the patient open a visit at an approved hospital (挂号)", async () => {
    [patient, doctor] = await Promise.all([signedIn(a.patientA), signedIn(a.doctorA)]);

    await tid(patient, "menu-patient-visits").click();
    await tid(patient, "visit-empty").waitFor();
    await tid(patient, "new-visit").click();
    await tid(patient, "visit-hospital").click();
    // Only approved hospitals are offered: both of the alliance's.
    await tid(patient, `visit-hospital-option-${a.hospitalB.address.toLowerCase()}`).waitFor();
    await tid(patient, `visit-hospital-option-${a.hospitalA.address.toLowerCase()}`).click();
    await tid(patient, "visit-open-confirm").click();
    await patient.waitForURL(/\/patient\/visits\/0x[0-9a-f]{64}$/);
    visitId = patient.url().split("/").pop()!;

    await patient.waitForSelector('[data-testid="visit-status"][data-status="open"]');
    await tid(patient, "visit-no-steps").waitFor();
    expect(await idsWithPrefix(patient, "visit-next-")).toEqual(["visit-next-1"]);
    expect(await tid(patient, "visit-hospital-name").textContent()).toContain("甲医院");
    // The patient only watches: no step form.
    expect(await tid(patient, "step-form").count()).toBe(0);

    const timeline = await a.patientA.request<Timeline>("GET", `/visits/${visitId}`);
    expect(timeline.visit.patient).toBe(a.patientA.address);
    expect(timeline.visit.hospital).toBe(a.hospitalA.address);
    expect(timeline.visit.lastStep).toBe(0);
  });

  it("lets doctor A record 挂号 → 取号 → 门诊 → 缴费拿药, offering only the steps allowed next", async () => {
    await tid(doctor, "menu-doctor-visits").click();
    const row = tid(doctor, `visit-row-${visitId}`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("open");
    // A doctor's open visits come as the priority queue; the patient's tier shows on the row.
    expect(await tid(doctor, "visit-order").locator("input:checked").getAttribute("value")).toBe("priority");
    const tier = tid(doctor, `visit-tier-${visitId}`);
    expect([await tier.getAttribute("data-tier"), await tier.getAttribute("data-priority")]).toEqual(["0", "no"]);
    await row.click();
    await doctor.waitForURL(new RegExp(`/doctor/visits/${visitId}$`));

    // What the form offers before each step: exactly the steps the chain allows next (4 化验 is optional).
    const offered: Record<number, string[]> = {
      1: ["step-choice-1"],
      2: ["step-choice-2"],
      3: ["step-choice-3"],
      5: ["step-choice-4", "step-choice-5"],
    };
    for (const step of [1, 2, 3, 5]) {
      await tid(doctor, "step-form").waitFor();
      await expect.poll(() => idsWithPrefix(doctor, "step-choice-")).toEqual(offered[step]);
      await tid(doctor, `step-choice-${step}`).click();
      // Admission may follow payment only: the switch is there for step 5 and nowhere else.
      expect(await tid(doctor, "step-continues").count()).toBe(step === 5 ? 1 : 0);
      await tid(doctor, "step-details").fill(details[step]!);
      if (step === 5) {
        // Patient A has no reimbursement perk: the flag is locked off, and the form says which tier has it.
        const flag = tid(doctor, "step-reimbursement");
        expect(await flag.getAttribute("data-allowed")).toBe("no");
        expect(await flag.locator("input").isDisabled()).toBe(true);
        expect(await tid(doctor, "step-reimbursement-hint").textContent()).toContain("钻石");
      }
      if (step === 5) await doctor.screenshot({ path: path.join(repoRoot, ".data/test/portal-visit-step.png"), fullPage: true });
      await tid(doctor, "step-submit").click();
      await tid(doctor, `visit-step-${step}`).waitFor();
    }

    await doctor.waitForSelector('[data-testid="visit-status"][data-status="finished"]');
    await tid(doctor, "visit-finished").waitFor();
    expect(await tid(doctor, "step-form").count()).toBe(0);
    expect(await tid(doctor, "visit-next").count()).toBe(0);

    // The server stored what the browser hashed and signed.
    const timeline = await a.doctorA.request<Timeline>("GET", `/visits/${visitId}`);
    expect(timeline.visit.finished).toBe(true);
    expect(timeline.next).toEqual([]);
    expect(timeline.steps.map((s) => s.step)).toEqual([1, 2, 3, 5]);
    await doctor.screenshot({ path: path.join(repoRoot, ".data/test/portal-visit.png"), fullPage: true });
    for (const s of timeline.steps) {
      expect(s.details).toEqual(signed(s.step));
      expect(s.contentHash).toBe(keccak256(toUtf8Bytes(canonicalJson(signed(s.step)))));
    }
  });

  it("shows the patient the finished timeline with names, details and transactions", async () => {
    await tid(patient, "visit-reload").click();
    await patient.waitForSelector('[data-testid="visit-status"][data-status="finished"]');
    await tid(patient, "visit-finished").waitFor();
    const timeline = await a.patientA.request<Timeline>("GET", `/visits/${visitId}`);
    const names: Record<number, string> = { 1: "挂号", 2: "取号", 3: "门诊", 5: "缴费拿药" };
    for (const s of timeline.steps) {
      expect(await tid(patient, `visit-step-name-${s.step}`).textContent()).toBe(names[s.step]);
      const shown = tid(patient, `visit-step-details-${s.step}${s.step === 5 ? "-note" : ""}`);
      expect(await shown.textContent()).toBe(details[s.step]);
      expect(await tid(patient, `visit-step-tx-${s.step}`).getAttribute("data-tx")).toBe(s.txHash);
      expect(await tid(patient, `visit-step-${s.step}`).textContent()).toContain("甲医生");
    }
    expect(await tid(patient, "visit-step-4").count()).toBe(0);
    const claim = tid(patient, "visit-step-details-5-reimbursement");
    expect(await claim.getAttribute("data-reimbursement")).toBe("no");
    expect(await claim.textContent()).toBe("未申请医保报销");

    await tid(patient, "menu-patient-visits").click();
    await tid(patient, "visit-tab-finished").click();
    const row = tid(patient, `visit-row-${visitId}`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("finished");
    expect(await row.getAttribute("data-step")).toBe("5");
    await tid(patient, "visit-tab-open").click();
    await tid(patient, "visit-empty").waitFor();
  });

  it("shows the step names in English after switching the language", async () => {
    await tid(patient, `visit-tab-all`).click();
    await tid(patient, `visit-row-${visitId}`).click();
    await tid(patient, "visit-step-name-1").waitFor();
    await tid(patient, "lang-switch").click();
    await expect.poll(() => tid(patient, "visit-step-name-1").textContent()).toBe("registration");
    expect(await tid(patient, "visit-step-name-5").textContent()).toBe("payment and dispensing");
    await tid(patient, "lang-switch").click();
    await expect.poll(() => tid(patient, "visit-step-name-1").textContent()).toBe("挂号");
  });

  it("shows the hospital its visits to watch, without recording steps itself", async () => {
    const hospital = await signedIn(a.hospitalA);
    await tid(hospital, "menu-hospital-visits").click();
    await tid(hospital, "visit-tab-all").click();
    await tid(hospital, `visit-open-${visitId}`).waitFor();
    expect(await tid(hospital, `visit-open-${visitId}`).textContent()).toContain("查看");
    await tid(hospital, `visit-row-${visitId}`).click();
    await hospital.waitForURL(new RegExp(`/hospital/visits/${visitId}$`));
    await tid(hospital, "visit-step-5").waitFor();
    expect(await tid(hospital, "step-submit").count()).toBe(0);
    await hospital.context().close();
  });
});

describe("record corrections, history and deletion in the portal", () => {
  let patient: Page, doctor: Page;
  let draftId: string;
  const reason = "补充诊断分型";
  const diagnosis = "稳定型心绞痛";

  async function openRecord(p: Page, menu: string): Promise<void> {
    await tid(p, menu).click();
    const row = tid(p, `record-row-${a.recordId}`);
    await row.waitFor();
    await row.click();
    await p.waitForURL(new RegExp(`/emr/records/${a.recordId}$`));
  }

  it("lets the doctor correct a record with a reason, as an update draft", async () => {
    [patient, doctor] = await Promise.all([signedIn(a.patientA), signedIn(a.doctorA)]);
    await openRecord(doctor, "menu-doctor-records");
    await expect.poll(() => tid(doctor, "emr-diagnosis").textContent()).toContain("心绞痛");
    // The patient's own action is not offered to the doctor.
    expect(await tid(doctor, "record-delete").count()).toBe(0);

    await tid(doctor, "record-correct").click();
    await tid(doctor, "correction-dialog").waitFor();
    // The form starts from the current content.
    expect(await tid(doctor, "correction-diagnosis").inputValue()).toBe("心绞痛");
    expect(await tid(doctor, "correction-complaint").inputValue()).toBe("胸闷");
    await tid(doctor, "correction-diagnosis").fill(diagnosis);
    // No reason, no draft.
    await tid(doctor, "correction-submit").click();
    await expect.poll(() => tid(doctor, "correction-dialog").textContent()).toContain("请填写更正理由");
    expect(doctor.url()).toMatch(/\/emr\/records\//);
    await tid(doctor, "correction-reason").fill(reason);
    await tid(doctor, "correction-submit").click();
    await doctor.waitForURL(/\/emr\/drafts\/[0-9a-f-]{36}$/);
    draftId = doctor.url().split("/").pop()!;

    await doctor.waitForSelector('[data-testid="draft-kind"][data-kind="update"]');
    expect(await tid(doctor, "draft-version").getAttribute("data-version")).toBe("2");
    expect(await tid(doctor, "draft-reason").textContent()).toBe(reason);
    expect(await tid(doctor, "emr-diagnosis").textContent()).toContain(diagnosis);
    await doctor.waitForSelector('[data-testid="draft-status"][data-status="awaiting-patient"]');
  });

  it("has the patient co-sign and the doctor sign the correction; both see version 2 and its reason", async () => {
    await tid(patient, "menu-patient-drafts").click();
    const row = tid(patient, `draft-row-${draftId}`);
    await row.waitFor();
    expect(await row.getAttribute("data-kind")).toBe("update");
    expect(await row.getAttribute("data-version")).toBe("2");
    expect(await tid(patient, `draft-kind-${draftId}`).textContent()).toContain("更正");
    await row.click();
    await expect.poll(() => tid(patient, "draft-reason").textContent()).toBe(reason);
    await tid(patient, "cosign").click();
    await patient.waitForSelector('[data-testid="draft-status"][data-status="awaiting-doctor"]');

    await tid(doctor, "draft-reload").click();
    await tid(doctor, "sign-submit").click();
    await doctor.waitForSelector('[data-testid="draft-status"][data-status="on-chain"]');
    await tid(doctor, "open-record").click();
    await doctor.waitForURL(new RegExp(`/emr/records/${a.recordId}$`));

    await openRecord(patient, "menu-patient-records");
    for (const p of [doctor, patient]) {
      await p.waitForSelector('[data-testid="record-version"][data-version="2"]');
      await expect.poll(() => tid(p, "emr-diagnosis").textContent()).toContain(diagnosis);
      await tid(p, "version-row-2").waitFor();
      expect(await tid(p, "version-row-2").getAttribute("data-current")).toBe("true");
      expect(await tid(p, "version-row-1").getAttribute("data-current")).toBe("false");
      expect(await tid(p, "version-reason-2").textContent()).toBe(reason);
      expect(await tid(p, "version-doctor-2").textContent()).toBe("甲医生");
    }
    const history = await a.patientA.request<History>("GET", `/emr/records/${a.recordId}/versions`);
    expect(history.record.version).toBe(2);
    expect(history.items.find((v) => v.version === 2)?.reason).toBe(reason);
    for (const v of history.items) {
      expect(await tid(patient, `version-tx-${v.version}`).textContent()).not.toBe("");
    }

    await patient.screenshot({ path: path.join(repoRoot, ".data/test/portal-record-history.png"), fullPage: true });

    // The first version stays readable as it was written.
    await tid(patient, "version-open-1").click();
    await patient.waitForURL(new RegExp(`/emr/records/${a.recordId}/versions/1$`));
    await patient.waitForSelector('[data-testid="version-state"][data-current="false"]');
    await expect.poll(() => tid(patient, "emr-diagnosis").textContent()).toContain("心绞痛");
    expect(await tid(patient, "emr-diagnosis").textContent()).not.toContain(diagnosis);
    expect(await tid(patient, "version-reason").textContent()).toBe("首次写入");
    await tid(patient, "version-back-to-record").click();
    await patient.waitForSelector('[data-testid="record-version"][data-version="2"]');
  });

  it("lets the patient delete the record; it then shows as deleted, without its content", async () => {
    // A doctor of the record may correct it, never delete it; the patient may delete, never correct.
    expect(await tid(patient, "record-correct").count()).toBe(0);
    await tid(patient, "record-delete").click();
    await tid(patient, "deletion-dialog").waitFor();
    await tid(patient, "deletion-reason").fill("转院后不再需要");
    // Nothing is signed before the patient confirms they understand.
    expect(await tid(patient, "deletion-confirm").isDisabled()).toBe(true);
    await tid(patient, "deletion-acknowledge").click();
    await tid(patient, "deletion-confirm").click();

    await patient.waitForSelector('[data-testid="record-state"][data-state="deleted"]');
    await expect.poll(() => tid(patient, "record-deleted-reason").textContent()).toBe("转院后不再需要");
    expect(await tid(patient, "emr-content").count()).toBe(0);
    await tid(patient, "history-deletion").waitFor();
    expect(await tid(patient, "version-reason-2").textContent()).toBe(reason);
    expect(await idsWithPrefix(patient, "version-open-")).toEqual([]);

    await openRecord(doctor, "menu-doctor-records");
    await doctor.waitForSelector('[data-testid="record-state"][data-state="deleted"]');
    expect(await tid(doctor, "emr-content").count()).toBe(0);
    expect(await tid(doctor, "record-correct").count()).toBe(0);
    await tid(doctor, "menu-doctor-records").click();
    await doctor.waitForSelector(`[data-testid="record-row-${a.recordId}"][data-deleted="true"]`);

    await expectApiError(a.patientA.request("GET", `/emr/records/${a.recordId}`), 410, "RECORD_DELETED");
    const history = await a.patientA.request<History>("GET", `/emr/records/${a.recordId}/versions`);
    expect(history.record.deleted).toBe(true);
    expect(history.deletion?.reason).toBe("转院后不再需要");
    await patient.screenshot({ path: path.join(repoRoot, ".data/test/portal-record-deleted.png"), fullPage: true });
  });
});
