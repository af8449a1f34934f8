import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import type { ShapleyRunView } from "../scripts/lib/research-acts.ts";
import { buildAlliance, type Alliance } from "./support/alliance.ts";
import { launchChromium, signedInPage } from "./support/browser.ts";
import { buildResearchData, type ResearchData } from "./support/research.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The alliance admin runs a research project in the portal: creates it, adds three member hospitals,
// sees the Shapley allocation computed from chain data (what each brings under research grants), and
// records it on chain with signatures made in the browser; a member hospital then sees the recorded
// allocation checked against the committed inputs.

let stack: Stack;
let al: Alliance;
let data: ResearchData;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const SHOTS = path.join(repoRoot, ".data/test");
const tid = (p: Page, id: string) => p.getByTestId(id);
const lower = (a: string) => a.toLowerCase();

const signedIn = (privateKey: string) => signedInPage(browser, stack.baseUrl, privateKey);

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  al = await buildAlliance(stack);
  data = await buildResearchData(stack, al);
  chrome = await launchChromium();
  browser = chrome.browser;
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("research allocation in the portal", () => {
  let projectId: string;

  it("lets the admin create a project, add members and record the Shapley allocation on chain", async () => {
    const p = await signedIn(al.admin.wallet.privateKey);
    await tid(p, "menu-research-projects").click();
    await tid(p, "new-project").click();
    await tid(p, "project-title").fill("多中心心衰研究");
    await tid(p, "project-total").fill("abc");
    await tid(p, "project-description").fill("三家医院共享科研数据");
    await tid(p, "project-submit").click();
    await expect.poll(() => tid(p, "project-dialog").textContent()).toContain("请输入正整数");
    await tid(p, "project-total").fill("1000");
    await tid(p, "project-submit").click();
    await p.waitForURL(/\/research\/projects\/0x[0-9a-f]{64}$/);
    projectId = p.url().split("/").pop()!;

    for (const h of [al.hospitalA, al.hospitalB, data.hospitalC]) {
      await tid(p, "add-member").click();
      await tid(p, "member-hospital").click();
      await tid(p, `member-hospital-option-${lower(h.address)}`).click();
      await tid(p, "member-submit").click();
      await tid(p, `member-row-${lower(h.address)}`).waitFor();
    }

    // From the chain: φA = 2377/236 ≈ 10.072, φB = 4585/236 ≈ 19.428, C nothing; 1000 → 341, 659, 0
    // (test/shapley.api.test.ts derives these by hand).
    await expect.poll(() => tid(p, "shapley-grand").textContent()).toBe("29.5");
    expect(await tid(p, `shapley-value-${lower(al.hospitalA.address)}`).textContent()).toBe("10.072");
    expect(await tid(p, `shapley-row-${lower(al.hospitalB.address)}`).getAttribute("data-amount")).toBe(
      "659",
    );
    expect(await tid(p, `shapley-row-${lower(data.hospitalC.address)}`).getAttribute("data-amount")).toBe(
      "0",
    );

    await tid(p, "shapley-record").click();
    await tid(p, "record-submit").click();
    await p.locator('[data-testid="shapley-match"][data-match="true"]').waitFor();
    await p.locator('[data-testid="project-status"][data-status="finalized"]').waitFor();
    expect(await tid(p, "project-allocated").textContent()).toBe("1000");
    await p.screenshot({ path: path.join(SHOTS, "research-allocation.png"), fullPage: true });
    await p.context().close();

    // On chain, as the mirror has it: the committed inputs and the three amounts.
    const run = await al.admin.request<ShapleyRunView>(
      "GET",
      `/research/projects/${projectId}/shapley?source=inputs`,
    );
    expect(run.committed).toBe(true);
    expect(run.players.map((x) => [x.hospital, x.recorded]).sort()).toEqual(
      [
        [al.hospitalA.address, "341"],
        [al.hospitalB.address, "659"],
        [data.hospitalC.address, "0"],
      ].sort(),
    );
  }, 240_000);

  it("shows a member hospital the recorded allocation, checked against the committed inputs, without the admin's buttons", async () => {
    const p = await signedIn(al.hospitalB.wallet.privateKey);
    await tid(p, "menu-research-projects").click();
    await tid(p, `project-row-${projectId}`).click();
    await p.locator('[data-testid="shapley-facts"][data-committed="true"]').waitFor();
    await p.locator('[data-testid="shapley-match"][data-match="true"]').waitFor();
    expect(await tid(p, "add-member").count()).toBe(0);
    expect(await tid(p, "shapley-record").count()).toBe(0);
    await p.context().close();
  }, 120_000);
});
