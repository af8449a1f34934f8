// Keys as WeBASE-Front keeps and answers them: AES-encrypted in answers and at rest, exact-case lookup,
// type 0 only in localKeyStores, WeBASE's codes; and the migration of a version-1 keys.json.
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { Wallet, getAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Aes, DEFAULT_AES_KEY } from "../src/keys/aes.ts";
import type { Devnode } from "../src/index.ts";
import { GROUP, client, expectError, recordingLogger, start, tempDir } from "./helpers.ts";

const aes = new Aes(DEFAULT_AES_KEY);
const keysOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, "keys.json"), "utf8"));

describe("keys", () => {
  const tmp = tempDir();
  let node: Devnode;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    node = await start(tmp.dir);
    c = client(node.url);
  });
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("creates a key answered with exactly KeyStoreInfo's fields, the private key AES-encrypted", async () => {
    const r = await c.get(`/privateKey?type=0&userName=carol&groupId=${GROUP}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual([
      "address",
      "publicKey",
      "privateKey",
      "userName",
      "type",
      "signUserId",
      "appId",
    ]);
    expect(r.json).toMatchObject({ userName: "carol", type: 0, signUserId: null, appId: null });
    expect(r.json.address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(r.json.publicKey).toMatch(/^[0-9a-f]{128}$/);
    expect(r.json.privateKey).toHaveLength(108); // 64 hex → 80 bytes → Base64
    const raw = aes.decrypt(r.json.privateKey);
    expect(new Wallet("0x" + raw).address.toLowerCase()).toBe(r.json.address);
    // at rest in the same form, never raw
    const stored = keysOf(tmp.dir).keys.find((k: { address: string }) => k.address === r.json.address);
    expect(stored.privateKey).toBe(r.json.privateKey);
    expect(readFileSync(path.join(tmp.dir, "keys.json"), "utf8")).not.toContain(raw);
  });

  it("imports a key (0x or not), encrypted the same way; importing a known key renames it", async () => {
    const w = Wallet.createRandom();
    const r = await c.get(`/privateKey/import?privateKey=${w.privateKey}&userName=dave&groupId=${GROUP}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.address).toBe(w.address.toLowerCase());
    expect(aes.decrypt(r.json.privateKey)).toBe(w.privateKey.slice(2));
    // KeyStoreService.importFromPrivateKey saves on the address: the row is renamed, not refused
    const again = await c.get(
      `/privateKey/import?privateKey=${w.privateKey.slice(2)}&userName=dave2&groupId=${GROUP}`,
    );
    expect(again.json.userName).toBe("dave2");
    const names = (await c.get(`/privateKey/localKeyStores`)).json.map(
      (k: { userName: string }) => k.userName,
    );
    expect(names).toContain("dave2");
    expect(names).not.toContain("dave");
  });

  it("lists type-0 keys by userName, decrypted", async () => {
    await c.get(`/privateKey?type=0&userName=Zed&groupId=${GROUP}`);
    await c.get(`/privateKey?type=0&userName=alpha&groupId=${GROUP}`);
    const list = (await c.get(`/privateKey/localKeyStores`)).json as {
      userName: string;
      privateKey: string;
      address: string;
    }[];
    const names = list.map((k) => k.userName);
    expect(names).toEqual([...names].sort()); // code-unit order: "Zed" before "alpha"
    for (const k of list) {
      expect(k.privateKey).toMatch(/^[0-9a-f]{64}$/);
      expect(new Wallet("0x" + k.privateKey).address.toLowerCase()).toBe(k.address);
    }
  });

  it("answers bad key requests with WeBASE's codes", async () => {
    expectError(await c.get(`/privateKey?userName=x&groupId=${GROUP}`), 422, 201041); // type defaults to 2
    expectError(
      await c.get(`/privateKey?type=1&userName=x&groupId=${GROUP}`),
      422,
      101002,
      "param valid fail",
    );
    expectError(await c.get(`/privateKey?type=0&groupId=${GROUP}`), 422, 201037, "user name is null");
    expectError(await c.get(`/privateKey?type=0&userName=%20&groupId=${GROUP}`), 422, 201037);
    expectError(
      await c.get(`/privateKey?type=0&userName=carol&groupId=${GROUP}`),
      422,
      201038,
      "user name already exists",
    );
    expectError(
      await c.get(`/privateKey?type=0&userName=x`),
      400,
      400,
      "Required request parameter 'groupId' for method parameter type String is not present",
    );
    expectError(await c.get(`/privateKey?type=abc&userName=x&groupId=${GROUP}`), 400, 400);
    expectError(
      await c.get(`/privateKey/import?privateKey=xyz&userName=bad1&groupId=${GROUP}`),
      500,
      500,
      'For input string: "xyz"',
    );
    expectError(
      await c.get(`/privateKey/import?privateKey=${"0".repeat(64)}&userName=bad2&groupId=${GROUP}`),
      500,
      500,
      "Scalar is not in the interval [1, n - 1]",
    );
    expectError(await c.get(`/privateKey/import?privateKey=${"1".repeat(64)}&groupId=${GROUP}`), 400, 400);
    expectError(await c.get(`/privateKey?type=0&userName=y&groupId=group9`), 500, 500);
  });

  it("signs only for the exact stored spelling of the address; calls need no key at all", async () => {
    const key = await c.createKey("exact");
    const contract = await c.deploy(key.address);
    const mixed = Wallet.createRandom().address; // EIP-55 of an unknown key
    const checksummed = getAddress(key.address);
    for (const user of [checksummed, key.address.toUpperCase().replace("0X", "0x"), "", mixed]) {
      expectError(
        await c.handle(user, contract, "set", ["1", "x"]),
        422,
        201015,
        "user's privateKey is null",
      );
    }
    expect((await c.handle(key.address, contract, "set", ["1", "x"])).json.statusOK).toBe(true);
    for (const user of [checksummed, "", "anything at all"]) {
      expect((await c.handle(user, contract, "get")).json).toEqual(["1"]);
    }
  });
});

describe("keys.json from the version-1 devnode", () => {
  it("is encrypted and rewritten on open, every key kept and usable", async () => {
    const tmp = tempDir();
    try {
      copyFileSync(path.join(import.meta.dirname, "fixtures/v1-keys.json"), path.join(tmp.dir, "keys.json"));
      const v1 = keysOf(tmp.dir);
      const node = await start(tmp.dir, recordingLogger());
      try {
        const now = keysOf(tmp.dir);
        expect(now.version).toBe(2);
        expect(now.keys.map((k: { address: string }) => k.address)).toEqual(
          v1.keys.map((k: { address: string }) => k.address),
        );
        for (const [i, k] of now.keys.entries()) {
          expect(k.privateKey).not.toMatch(/^[0-9a-f]{64}$/);
          expect(aes.decrypt(k.privateKey)).toBe(v1.keys[i].privateKey);
          expect(k.publicKey).toBe(v1.keys[i].publicKey.slice(2));
        }
        const list = (await client(node.url).get(`/privateKey/localKeyStores`)).json;
        expect(list.map((k: { userName: string }) => k.userName)).toEqual(["alice", "bob"]);
      } finally {
        await node.close();
      }
      // another AES key cannot read them: start-up stops instead of losing keys
      await expect(
        start(tmp.dir, recordingLogger(), undefined, { aesKey: "0123456789abcdef" }),
      ).rejects.toThrow(/does not decrypt with this AES key/);
    } finally {
      tmp.cleanup();
    }
  });
});
