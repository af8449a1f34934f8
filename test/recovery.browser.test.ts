import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptShare, encryptShare, parseShare, recoverKey, splitKey } from "@yyl/sdk";
import { repoRoot } from "../server/src/config.ts";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { launchChromium, signInWithKey } from "./support/browser.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Issue 6, keys: a member backs up their key in the portal as 2-of-3 sealed shares (one password per
// holder), then, in a browser that has never seen the key, recovers it from two of them, sets a new
// password and signs in as the same account. One share alone does not restore it; a wrong password
// and a share of another key are refused with messages that name the share.

let stack: Stack;
let member: ApiActor;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const PASSWORD = "correct horse 1";
const HOLDERS = [
  { label: "母亲", password: "mother pass 1" },
  { label: "律师", password: "lawyer pass 2" },
  { label: "离线备份", password: "offline pass 3" },
];
const SHOTS = path.join(repoRoot, ".data/test");
const tid = (p: Page, id: string) => p.getByTestId(id);

/** A fresh browser context (no stored key, no session), with the page's errors in the test log. */
async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (e) => console.error(`[browser] ${e.message}`));
  return page;
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  stack = await startStack({ webDist: path.join(repoRoot, "web/dist") });
  const admin = new ApiActor(stack.baseUrl, stack.admin);
  member = new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
  await admin.signIn();
  await member.signIn();
  await member.apply("patient", { name: "王五" });
  await admin.decide(member.address, "approve");
  chrome = await launchChromium();
  browser = chrome.browser;
}, 300_000);

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe("key backup shares and recovery in the portal", () => {
  /** The sealed shares as the member handed them out: index → file text. */
  const sealed = new Map<number, string>();

  it("a member makes a 2-of-3 backup: one sealed share per holder, as a file and as text", async () => {
    const page = await freshPage();
    await signInWithKey(page, stack.baseUrl, member.wallet.privateKey, PASSWORD);

    await tid(page, "menu-key-backup").click();
    await page.waitForURL(/\/account\/key-backup$/);
    const explainer = await tid(page, "key-explainer").textContent();
    expect(explainer).toContain("任意 t 份"); // what t-of-n means
    expect(explainer).toContain("联手"); // any t holders together can take the key
    expect(explainer).toContain("吊销"); // a stolen key needs revocation, not recovery

    // A reload locks the key: making the shares must go through the password prompt.
    await page.reload();
    // One holder row per share: 4 shares give a fourth row, back to 3 removes it.
    const shares = tid(page, "backup-shares").locator("input");
    await shares.fill("4");
    await shares.press("Tab");
    await tid(page, "backup-holder-4").waitFor();
    await shares.fill("3");
    await shares.press("Tab");
    await tid(page, "backup-holder-4").waitFor({ state: "detached" });
    const threshold = tid(page, "backup-threshold").locator("input");
    await threshold.fill("2");
    await threshold.press("Tab");
    const summary = tid(page, "backup-summary");
    expect(await summary.getAttribute("data-shares")).toBe("3");
    expect(await summary.getAttribute("data-threshold")).toBe("2");

    for (const [i, h] of HOLDERS.entries()) {
      await tid(page, `backup-holder-${i + 1}-label`).fill(h.label);
      await tid(page, `backup-holder-${i + 1}-password`).fill(h.password);
      await tid(page, `backup-holder-${i + 1}-confirm`).fill(i === 2 ? "not the same" : h.password);
    }
    // A confirmation that differs is refused before anything is unlocked.
    await tid(page, "backup-create").click();
    await expect.poll(() => tid(page, "backup-holder-3").textContent()).toContain("两次输入的密码不一致");
    expect(await tid(page, "unlock-dialog-password").isVisible()).toBe(false);
    await tid(page, "backup-holder-3-confirm").fill(HOLDERS[2]!.password);

    await page.screenshot({ path: path.join(SHOTS, "recovery-backup-form.png"), fullPage: true });
    await tid(page, "backup-create").click();
    await tid(page, "unlock-dialog-password").fill(PASSWORD);
    await tid(page, "unlock-dialog-confirm").click();
    const result = tid(page, "backup-result");
    await result.waitFor();
    expect(await result.getAttribute("data-shares")).toBe("3");
    expect(await result.getAttribute("data-threshold")).toBe("2");
    await page.screenshot({ path: path.join(SHOTS, "recovery-backup.png"), fullPage: true });

    // Share 1 through the download, shares 2 and 3 as the text a holder would copy.
    const a = member.address.toLowerCase().slice(2);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      tid(page, "backup-share-download-1").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`yyl-share-${a.slice(0, 6)}${a.slice(-4)}-1-of-3.json`);
    sealed.set(1, await readFile((await download.path())!, "utf8"));
    for (const i of [2, 3]) sealed.set(i, await tid(page, `backup-share-text-${i}`).inputValue());
    expect(await tid(page, "backup-share-2").textContent()).toContain("律师");

    // What was handed out is sealed: each opens with its holder's password only, names the member's
    // address, and (checked outside the portal) two of them give back the member's key.
    const opened: string[] = [];
    for (const [i, text] of sealed) {
      expect(text).not.toContain(member.wallet.privateKey.slice(2));
      const o = JSON.parse(text) as { type: string; address: string; index: number };
      expect(o).toMatchObject({ type: "yyl-sealed-share", address: member.address, index: i });
      await expect(decryptShare(text, "wrong password")).rejects.toThrow(/wrong password/);
      const share = await decryptShare(text, HOLDERS[i - 1]!.password);
      expect(parseShare(share)).toMatchObject({ address: member.address, threshold: 2, shares: 3, index: i });
      opened.push(share);
    }
    expect(await recoverKey([opened[0]!, opened[2]!])).toBe(member.wallet.privateKey);
    await page.context().close();
  }, 180_000);

  it("in a fresh browser, shares 1 and 3 restore the key; one alone does not; the member signs in again", async () => {
    expect(sealed.size).toBe(3);
    const page = await freshPage();
    await page.goto(stack.baseUrl + "/");
    await tid(page, "recover-link").click();
    await page.waitForURL(/\/recover$/);
    const error = tid(page, "recover-error");
    const openShare = async (text: string, password: string) => {
      await tid(page, "recover-share").fill(text);
      await tid(page, "recover-share-password").fill(password);
      await tid(page, "recover-share-open").click();
    };

    // A wrong password is refused, naming the share.
    await openShare(sealed.get(1)!, HOLDERS[1]!.password);
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("WRONG_PASSWORD");
    expect(await error.textContent()).toContain("第 1 份");

    await openShare(sealed.get(1)!, HOLDERS[0]!.password);
    await tid(page, "recover-opened-1").waitFor();
    const count = tid(page, "recover-count");
    expect(await count.getAttribute("data-opened")).toBe("1");
    expect(await count.getAttribute("data-threshold")).toBe("2");

    // One share alone cannot restore the key.
    await tid(page, "recover-rebuild").click();
    await expect.poll(() => error.getAttribute("data-code")).toBe("TOO_FEW");
    expect(await error.textContent()).toContain("需要 2 份");
    await page.screenshot({ path: path.join(SHOTS, "recovery-too-few.png"), fullPage: true });
    expect(await tid(page, "recover-result").count()).toBe(0);

    // A share of another key is refused, naming it and both accounts.
    const other = Wallet.createRandom();
    const [otherShare] = await splitKey(other.privateKey, { shares: 3, threshold: 2 });
    await openShare(await encryptShare(otherShare!, "other pass 1"), "other pass 1");
    await expect.poll(() => error.getAttribute("data-code")).toBe("OTHER_KEY");
    expect(await error.textContent()).toContain(other.address.slice(0, 6));
    expect(await count.getAttribute("data-opened")).toBe("1");

    await openShare(sealed.get(3)!, HOLDERS[2]!.password);
    await tid(page, "recover-opened-3").waitFor();
    await tid(page, "recover-rebuild").click();
    const recovered = tid(page, "recover-address");
    await recovered.waitFor();
    expect(await recovered.getAttribute("data-address")).toBe(member.address);
    await page.screenshot({ path: path.join(SHOTS, "recovery-recovered.png"), fullPage: true });

    // Stored under a new password like an imported key, then the usual sign-in.
    await tid(page, "recover-password").fill("new password 9");
    await tid(page, "recover-password-confirm").fill("new password 9");
    await tid(page, "recover-save").click();
    await page.waitForURL(/\/sign-in/);
    expect(await tid(page, "current-address").getAttribute("data-address")).toBe(member.address);
    await tid(page, "sign-in").click();
    await page.waitForURL(/\/home$/);
    expect(await tid(page, "status-address").getAttribute("data-address")).toBe(member.address);

    // The stored keystore opens with the new password after signing out.
    await tid(page, "sign-out").click();
    await tid(page, `stored-key-${member.address.toLowerCase()}`).click();
    await tid(page, "unlock-password").fill("new password 9");
    await tid(page, "unlock").click();
    await page.waitForURL(/\/home$/);
    await page.context().close();
  }, 180_000);
});
