import path from "node:path";
import { hospitalLevelTypedData } from "@yyl/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, type Alliance } from "./support/alliance.ts";
import { launchChromium, signedInPage } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Hospital scores in the portal, in a real browser. Through the API: hospital A is set to 三级 and
// its score initialized (500 + 100·3 = 800); hospital B is set to 二级 but not initialized. In the
// portal the alliance admin adjusts A for a misdiagnosis by −30 (800 − 30 = 770), seeing the reason's
// sign rule enforced first, and initializes B (500 + 100·2 = 700); the detail page shows the new score
// and the history row. A patient sees the ranking (A 770 first, B 700 second) and no admin controls;
// hospital A opens 本院评分.

let stack: Stack;
let a: Alliance;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const tid = (p: Page, id: string) => p.getByTestId(id);
const EVIDENCE = "误诊一例：病例号 2026-118，经专家组复核确认";

interface ScoreView {
  score: number | null;
  rank: number | null;
}

const signedIn = (actor: ApiActor) => signedInPage(browser, stack.baseUrl, actor.wallet.privateKey);

async function setLevel(hospital: string, level: number): Promise<void> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = hospitalLevelTypedData(await a.admin.domain("AllianceRegistry"), {
    hospital,
    level,
    nonce,
    deadline,
  });
  await a.admin.request("POST", `/members/${hospital}/level`, {
    level,
    nonce,
    deadline,
    signature: await a.admin.sign(typed),
  });
}

const lower = (address: string) => address.toLowerCase();
const attr = (p: Page, id: string, name: string) => tid(p, id).getAttribute(name);

beforeAll(async () => {
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  await setLevel(a.hospitalA.address, 3);
  await setLevel(a.hospitalB.address, 2);
  await a.admin.request("POST", `/hospitals/${a.hospitalA.address}/score/initialization`, {});
  chrome = await launchChromium();
  browser = chrome.browser;
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("hospital scores in the portal", () => {
  let admin: Page;

  it("lets the alliance admin adjust a hospital's score with a signed adjustment", async () => {
    admin = await signedIn(a.admin);
    await tid(admin, "menu-score-ranking").click();
    const rowA = tid(admin, `ranking-row-${lower(a.hospitalA.address)}`);
    await rowA.waitFor();
    expect(await rowA.getAttribute("data-score")).toBe("800");
    await rowA.click();
    await admin.waitForURL(new RegExp(`/hospitals/${a.hospitalA.address}/score$`, "i"));
    await admin.waitForSelector('[data-testid="score-value"][data-score="800"]');
    expect(await attr(admin, "score-rank", "data-rank")).toBe("1");

    await tid(admin, "score-adjust-open").click();
    await tid(admin, "score-adjust-dialog").waitFor();
    await tid(admin, "score-adjust-reason").click();
    await tid(admin, "score-adjust-reason-option-1").click();
    // A misdiagnosis only deducts: +20 is refused before anything is signed.
    await tid(admin, "score-adjust-delta").fill("20");
    await tid(admin, "score-adjust-evidence").fill(EVIDENCE);
    await tid(admin, "score-adjust-submit").click();
    await admin.getByText("分值正负不符合所选原因的规则").waitFor();
    expect((await a.admin.request<ScoreView>("GET", `/hospitals/${a.hospitalA.address}/score`)).score).toBe(
      800,
    );

    await tid(admin, "score-adjust-delta").fill("-30");
    // 800 − 30 = 770, inside 0–1000.
    expect(await tid(admin, "score-adjust-preview").textContent()).toContain("770");
    await tid(admin, "score-adjust-submit").click();
    await admin.waitForSelector('[data-testid="score-value"][data-score="770"]');
    await tid(admin, "score-adjust-dialog").waitFor({ state: "hidden" });

    const newest = tid(admin, "score-event-row-0");
    await admin.waitForSelector('[data-testid="score-event-row-0"][data-kind="adjustment"]');
    expect(await newest.getAttribute("data-reason")).toBe("1");
    expect(await newest.getAttribute("data-delta")).toBe("-30");
    expect(await newest.getAttribute("data-score")).toBe("770");
    const table = tid(admin, "score-history-table");
    expect(await table.textContent()).toContain(EVIDENCE);
    expect(await table.textContent()).toContain("误诊");
    await admin.waitForSelector('[data-testid="score-chart"][data-points="2"]');

    // The kind filter: only the initialization is left.
    await tid(admin, "score-kind-initial").click();
    await admin.waitForSelector('[data-testid="score-event-row-0"][data-kind="initial"]');
    expect(await tid(admin, "score-event-row-1").count()).toBe(0);
    expect(await attr(admin, "score-event-row-0", "data-score")).toBe("800");

    const onChain = await stack.app.context.chain.contracts.HospitalScore.call<{ score: bigint }>("scoreOf", [
      a.hospitalA.address,
    ]);
    expect(Number(onChain.score)).toBe(770);
  });

  it("lets the alliance admin initialize a hospital's score from its level", async () => {
    await admin.goto(`${stack.baseUrl}/hospitals/${a.hospitalB.address}/score`);
    await tid(admin, "score-not-initialized").waitFor();
    expect(await tid(admin, "score-adjust-open").count()).toBe(0);
    await tid(admin, "score-initialize").click();
    // 二级: 500 + 100 · 2 = 700; A (770) is higher, so B is second.
    await admin.waitForSelector('[data-testid="score-value"][data-score="700"]');
    expect(await attr(admin, "score-rank", "data-rank")).toBe("2");
    expect((await a.admin.request<ScoreView>("GET", `/hospitals/${a.hospitalB.address}/score`)).score).toBe(
      700,
    );
  });

  it("shows a patient the ranking, without admin controls", async () => {
    const patient = await signedIn(a.patientA);
    await tid(patient, "menu-score-ranking").click();
    const rowA = tid(patient, `ranking-row-${lower(a.hospitalA.address)}`);
    const rowB = tid(patient, `ranking-row-${lower(a.hospitalB.address)}`);
    await rowB.waitFor();
    expect([await rowA.getAttribute("data-rank"), await rowA.getAttribute("data-score")]).toEqual([
      "1",
      "770",
    ]);
    expect([await rowB.getAttribute("data-rank"), await rowB.getAttribute("data-score")]).toEqual([
      "2",
      "700",
    ]);
    const order = await patient
      .locator('[data-testid^="ranking-row-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
    expect(order).toEqual([
      `ranking-row-${lower(a.hospitalA.address)}`,
      `ranking-row-${lower(a.hospitalB.address)}`,
    ]);

    await rowA.click();
    await patient.waitForSelector('[data-testid="score-value"][data-score="770"]');
    await patient.waitForSelector('[data-testid="score-event-row-0"][data-kind="adjustment"]');
    expect(await tid(patient, "score-adjust-open").count()).toBe(0);
    expect(await tid(patient, "score-initialize").count()).toBe(0);
    expect(await tid(patient, "menu-hospital-score").count()).toBe(0);
  });

  it("shows hospital A its own score under 本院评分", async () => {
    const hospital = await signedIn(a.hospitalA);
    await tid(hospital, "menu-hospital-score").click();
    await hospital.waitForURL(/\/hospital\/score$/);
    await hospital.waitForSelector('[data-testid="score-value"][data-score="770"]');
    expect(await attr(hospital, "score-level", "data-level")).toBe("3");
    expect(await tid(hospital, "score-adjust-open").count()).toBe(0);
  });
});
