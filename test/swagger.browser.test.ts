import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, type Alliance } from "./support/alliance.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { launchChromium } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// A regulator with nothing but a bearer token and Swagger UI (/api/docs) in a real browser: authorizes,
// then runs audited queries, and reads a record the patient granted them. What the page shows is what
// the API answered.

let stack: Stack;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let alliance: Alliance;
let regulator: ApiActor;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  chrome = await launchChromium();
  alliance = await buildAlliance(stack);
  regulator = alliance.newActor();
  await alliance.admin.request("POST", "/regulators", {
    address: regulator.address,
    name: "王审计",
    organization: "市卫生健康委员会",
    kind: "health-authority",
    jurisdiction: "city",
  });
  await regulator.signIn();
  await grantOnChain(stack, alliance.patientA.wallet, { recordId: alliance.recordId, grantee: regulator.address });
  await alliance.patientA.shareKeys(alliance.recordId, regulator.address);
  const context = await chrome.browser.newContext({ locale: "zh-CN" });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

/** Opens an operation by its path, fills its parameters, executes it and returns the status shown. */
async function execute(method: string, path: string, params: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const op = page.locator(`.opblock-${method}`).filter({ has: page.locator(`[data-path="${path}"]`) }).first();
  await op.locator(".opblock-summary").first().click();
  await op.locator("button.try-out__btn").click();
  for (const [name, value] of Object.entries(params)) {
    await op.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  await op.locator("button.execute").click();
  const live = op.locator(".live-responses-table .response");
  await live.first().waitFor();
  const status = Number((await live.locator(".response-col_status").first().innerText()).trim());
  const body = await op.locator(".live-responses-table .microlight, .live-responses-table pre").first().innerText();
  await op.locator(".opblock-summary").first().click();
  return { status, body };
}

describe("Swagger UI for a regulator", () => {
  it("authorizes with the bearer token and runs audited queries", async () => {
    await page.goto(`${stack.baseUrl}/api/docs/`);
    await page.locator(".swagger-ui .info .title").waitFor();
    await page.locator("button.authorize").first().click();
    await page.locator(".modal-ux input").first().fill(regulator.token!);
    await page.locator(".modal-ux button.modal-btn.authorize").click();
    await page.locator(".modal-ux button.btn-done").click();

    const me = await execute("get", "/api/auth/me");
    expect(me.status).toBe(200);
    expect(me.body).toContain("regulator");

    const record = await execute("get", "/api/emr/records/{recordId}", { recordId: alliance.recordId });
    expect(record.status).toBe(200);
    // Sealed content with the one key wrap the regulator can open (docs/regulators.md: open it with the sdk).
    expect(record.body).toContain('"envelope"');
    expect(record.body).toContain(regulator.address);

    const chainAccess = await execute("get", "/api/audit/chain-access", { recordId: alliance.recordId });
    expect(chainAccess.status, chainAccess.body).toBe(200);
    expect(chainAccess.body).toContain(regulator.address);

    const entries = await execute("get", "/api/audit/entries", { actor: regulator.address });
    expect(entries.status, entries.body).toBe(200);
    expect(entries.body).toContain("emr.record.read");
  });
});
