import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, type Alliance } from "./support/alliance.ts";
import { launchChromium, signedInPage } from "./support/browser.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The 数据评级 page in a real browser: hospital B sees the entropy hint for a record that doctors of
// two hospitals (B and C) read once each, rates it, settles it, and the patient's points move.

let stack: Stack;
let a: Alliance;
let hospitalC: ApiActor;
let doctorC: ApiActor;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const SHOTS = path.join(repoRoot, ".data/test");
const tid = (p: Page, id: string) => p.getByTestId(id);
const lower = (address: string) => address.toLowerCase();

// The rule written out here rather than taken from the sdk: tenths = 3·share + 4·VALUE + 3·RARITY.
const VALUE: Record<number, number> = { 1: 5, 2: 20, 3: 30 };
const RARITY: Record<number, number> = { 1: 5, 2: 15, 3: 25 };

const signedIn = (privateKey: string) => signedInPage(browser, stack.baseUrl, privateKey);

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  a = await buildAlliance(stack);
  hospitalC = a.newActor();
  doctorC = a.newActor();
  await hospitalC.signIn();
  await doctorC.signIn();
  await hospitalC.apply("hospital", { name: "丙医院" });
  await a.admin.decide(hospitalC.address, "approve");
  await doctorC.apply("doctor", { name: "丙医生", department: "心内科" }, hospitalC.address);
  await hospitalC.registerDoctor(doctorC.address);
  await a.admin.decide(doctorC.address, "approve");
  // The patient shares the record with hospitals B and C; one doctor of each reads it once.
  for (const h of [a.hospitalB, hospitalC]) {
    await grantOnChain(stack, a.patientA.wallet, { recordId: a.recordId, grantee: h.address });
    await a.patientA.shareKeys(a.recordId, h.address);
  }
  await a.doctorB.readRecord(a.recordId);
  await doctorC.readRecord(a.recordId);
  chrome = await launchChromium();
  browser = chrome.browser;
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("ratings portal", () => {
  it("shows hospital B the hint for a record read by two hospitals, rates it, settles, and the patient's points move", async () => {
    const page = await signedIn(a.hospitalB.wallet.privateKey);
    const id = a.recordId.toLowerCase();
    await tid(page, "menu-hospital-ratings").click();
    const row = tid(page, `ratings-row-${id}`);
    await row.waitFor();
    expect(await row.getAttribute("data-rated")).toBe("false");

    await tid(page, `ratings-rate-${id}`).click();
    await tid(page, "rate-dialog").waitFor();
    // Reads B:C = 1:1 → H = −2·½·log₂ ½ = 1 bit, 2¹ = 2 effective institutions, suggested level 2.
    const hint = page.locator('[data-testid="value-hint"][data-suggested]');
    await hint.waitFor();
    expect(await hint.getAttribute("data-suggested")).toBe("2");
    expect(await hint.getAttribute("data-bits")).toBe("1");
    expect(await hint.getAttribute("data-effective")).toBe("2");
    expect(await tid(page, "value-hint-bits").textContent()).toContain("1 比特");
    for (const h of [a.hospitalB, hospitalC])
      expect(
        await tid(page, `value-hint-institution-${lower(h.address)}`).getAttribute("data-accesses"),
      ).toBe("1");
    await tid(page, "value-hint-explanation-fewInstitutions").waitFor();
    // Both reads fall in the last 30-day window: one window, 2 reads, 1 bit.
    expect(await tid(page, "value-hint-period-0").getAttribute("data-accesses")).toBe("2");
    expect(await page.locator('[data-testid^="value-hint-period-"]').count()).toBe(1);
    await page.locator('[data-testid="value-hint"] .el-loading-mask').waitFor({ state: "hidden" });
    await page.screenshot({ path: path.join(SHOTS, "ratings-hint.png") });

    // Take the suggested value level, choose rarity 3, submit (on chain through B's operator).
    await tid(page, "rate-use-suggested").click();
    await page.locator('[data-testid="rate-value-2"].is-active').waitFor();
    await tid(page, "rate-rarity-3").click();
    await tid(page, "rate-submit").click();
    await page.locator(`[data-testid="ratings-row-${id}"][data-rated="true"]`).waitFor();
    expect(await row.getAttribute("data-value")).toBe("2");
    expect(await row.getAttribute("data-rarity")).toBe("3");
    const rating = await stack.app.context.prisma.recordRating.findUniqueOrThrow({
      where: { recordId_hospital: { recordId: a.recordId, hospital: a.hospitalB.address } },
    });
    expect([rating.valueLevel, rating.rarityLevel]).toEqual([2, 3]);

    // Settle: the patient's total goes from 0 to 3·share + 4·20 + 3·25 tenths.
    const pointsOf = () =>
      a.patientA.request<{ totalTenths: number }>("GET", `/points/patients/${a.patientA.address}`);
    expect((await pointsOf()).totalTenths).toBe(0);
    const share = Number(
      await stack.app.context.chain.contracts.ConsentManager.call("shareOf", [a.recordId]),
    );
    expect(share).toBeGreaterThan(0);
    const expected = 3 * share + 4 * VALUE[2]! + 3 * RARITY[3]!;
    await tid(page, `ratings-settle-${id}`).click();
    await page.locator(`[data-testid="ratings-row-${id}"][data-settled-tenths="${expected}"]`).waitFor();
    expect((await pointsOf()).totalTenths).toBe(expected);
  });
});
