import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** The password the browser tests keep imported keys under. */
export const TEST_PASSWORD = "correct horse 1";

// Debian's Chromium driven by playwright-core (no browser download). The flags keep it off the network,
// which this machine does not have anyway.
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "yyl-chromium-"));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Imports `privateKey` on the portal's sign-in page (kept under `password`) and signs in; waits for /home. */
export async function signInWithKey(
  page: Page,
  baseUrl: string,
  privateKey: string,
  password: string,
): Promise<void> {
  const tid = (id: string) => page.getByTestId(id);
  await page.goto(baseUrl + "/");
  await tid("tab-import").click();
  await tid("import-private-key").fill(privateKey);
  await tid("import-password").fill(password);
  await tid("import-password-confirm").fill(password);
  await tid("import-key").click();
  await tid("sign-in").click();
  await page.waitForURL(/\/home$/);
}

/** A fresh browser context (zh-CN) for one person, signed in with their private key; page errors are logged. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  privateKey: string,
  timeout = 60_000,
): Promise<Page> {
  const page = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  page.setDefaultTimeout(timeout);
  page.on("pageerror", (e) => console.error(`[browser] ${e.message}`));
  await signInWithKey(page, baseUrl, privateKey, TEST_PASSWORD);
  return page;
}
