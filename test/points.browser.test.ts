import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, writeRecord, type Alliance } from "./support/alliance.ts";
import { launchChromium, signedInPage } from "./support/browser.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { admitDoctor, admitPatient, initializeScore, rateVisit } from "./support/incentives.ts";
import { startStack, type Stack } from "./support/stack.ts";

// 我的积分 and 推荐医生 in a real browser.
//
// Points: patient A has five records (the alliance's one and four more), each granted to hospital B at
// level 2 (share 2), rated value 3 and rarity 3 by B, and settled: each is 3·2 + 4·30 + 3·25 = 201 tenths
// (20.1 points), the total 1005 tenths = 100.5 points, which is tier 银 (from 100.0 points) with queue
// priority only; 金 starts at 500.0, so 399.5 points are missing.
//
// Recommendations (the worked example of test/recommendations.api.test.ts): cardiologists X (甲), Y (乙),
// Z (乙, 丙医生), W (甲, 丁医生); feedback p1 = patient A: X 5, Y 1; p2 = patient B: X 5, Y 1, Z 5, W 1;
// p3: X 1, Y 5, Z 1, W 5. For p1: slope one predicts 3 for Z and W, user CF (p2 alone, similarity 0.4)
// 5 for Z and 1 for W; blended 0.25/0.75: Z 4.5, W 1.5. So cardiology lists Z then W (X, Y already rated).
// A patient without feedback sees the cold-start notice and 甲 (level 3, ~800) before 乙 (level 2, ~700):
// X (3 ratings), W (2), Y (3), Z (2).

let stack: Stack;
let a: Alliance;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let Z: ApiActor, W: ApiActor, p3: ApiActor, p4: ApiActor;
const tid = (p: Page, id: string) => p.getByTestId(id);
const lower = (address: string) => address.toLowerCase();

const recordIds: string[] = [];

beforeAll(async () => {
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  recordIds.push(a.recordId);
  for (let i = 1; i <= 4; i++) {
    recordIds.push(
      await writeRecord(a.doctorA, a.patientA, a.hospitalA, {
        title: `复诊记录 ${i}`,
        chiefComplaint: "胸闷",
        diagnosis: "稳定型心绞痛",
      }),
    );
  }
  for (const recordId of recordIds) {
    await grantOnChain(stack, a.patientA.wallet, { recordId, grantee: a.hospitalB.address, level: 2 });
    await a.hospitalB.request("POST", `/points/records/${recordId}/rating`, {
      valueLevel: 3,
      rarityLevel: 3,
    });
    await a.patientA.request("POST", `/points/records/${recordId}/settlement`, {});
  }

  await initializeScore(a, a.hospitalA, 3);
  await initializeScore(a, a.hospitalB, 2);
  Z = await admitDoctor(a, a.hospitalB, "丙医生");
  W = await admitDoctor(a, a.hospitalA, "丁医生");
  p3 = await admitPatient(a, "王五");
  p4 = await admitPatient(a, "赵六");
  const [X, Y, A, B] = [a.doctorA, a.doctorB, a.hospitalA, a.hospitalB];
  await rateVisit(stack, a.patientA, A, X, 5);
  await rateVisit(stack, a.patientA, B, Y, 1);
  for (const [p, x, y, z, w] of [
    [a.patientB, 5, 1, 5, 1],
    [p3, 1, 5, 1, 5],
  ] as const) {
    await rateVisit(stack, p, A, X, x);
    await rateVisit(stack, p, B, Y, y);
    await rateVisit(stack, p, B, Z, z);
    await rateVisit(stack, p, A, W, w);
  }
  chrome = await launchChromium();
  browser = chrome.browser;
}, 600_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

/** The doctors' addresses of the recommendation rows, by rank. */
async function rowsInOrder(page: Page): Promise<string[]> {
  const rows = page.locator('[data-testid^="recommend-row-"]');
  const ids = await rows.evaluateAll((els) =>
    els.map(
      (e) =>
        [
          Number(e.getAttribute("data-rank")),
          e.getAttribute("data-testid")!.slice("recommend-row-".length),
        ] as const,
    ),
  );
  return ids.sort((x, y) => x[0] - y[0]).map((x) => x[1]);
}

describe("patient points and recommendations in the portal", () => {
  let page: Page;

  it("shows the total, tier, perks, progress and the points of each record", async () => {
    page = await signedInPage(browser, stack.baseUrl, a.patientA.wallet.privateKey);
    await tid(page, "menu-patient-points").click();
    await page.waitForSelector('[data-testid="points-total"][data-tenths="1005"]');
    expect((await tid(page, "points-total").textContent())!.trim()).toBe("100.5");
    expect(await tid(page, "points-tier").getAttribute("data-tier")).toBe("1");
    expect((await tid(page, "points-tier").textContent())!.trim()).toBe("银");
    expect(await tid(page, "points-perk-queuePriority").getAttribute("data-owned")).toBe("yes");
    for (const perk of ["appointment", "drugPurchase", "reimbursement"]) {
      expect(await tid(page, `points-perk-${perk}`).getAttribute("data-owned")).toBe("no");
    }
    expect(await tid(page, "points-next").textContent()).toContain("399.5");
    for (const recordId of recordIds) {
      expect(await tid(page, `points-record-${recordId}`).getAttribute("data-points")).toBe("20.1");
    }
    // the rule from the sdk table: 0.3 / 0.4 / 0.3 and 银 from 100.0
    expect(await tid(page, "points-rule").textContent()).toContain("0.3×共享度 + 0.4×价值分 + 0.3×稀缺分");
    expect(await tid(page, "points-tier-row-1").textContent()).toContain("100.0");
  });

  it("lists the recommended doctors of a department in the predicted order", async () => {
    await tid(page, "menu-patient-recommendations").click();
    await tid(page, "recommend-table").waitFor();
    await tid(page, "recommend-department").click();
    await tid(page, "recommend-department-option-cardiology").click();
    await page.waitForSelector('[data-testid="recommend-table"][data-department="cardiology"]');
    await tid(page, `recommend-row-${lower(Z.address)}`).waitFor();
    expect(await rowsInOrder(page)).toEqual([lower(Z.address), lower(W.address)]);
    expect(await tid(page, `recommend-row-${lower(Z.address)}`).getAttribute("data-basis")).toBe("blend");
    expect(await tid(page, "recommend-cold-start").count()).toBe(0);
  });

  it("tells a patient without feedback that the list follows hospital scores", async () => {
    const cold = await signedInPage(browser, stack.baseUrl, p4.wallet.privateKey);
    await tid(cold, "menu-patient-recommendations").click();
    await tid(cold, "recommend-cold-start").waitFor();
    await tid(cold, "recommend-department").click();
    await tid(cold, "recommend-department-option-cardiology").click();
    await cold.waitForSelector('[data-testid="recommend-table"][data-department="cardiology"]');
    await tid(cold, `recommend-row-${lower(Z.address)}`).waitFor();
    expect(await rowsInOrder(cold)).toEqual(
      [a.doctorA.address, W.address, a.doctorB.address, Z.address].map(lower),
    );
  });
});
