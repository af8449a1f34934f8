import { beforeAll, describe, expect, it } from "vitest";
import mcl from "mcl-wasm";
import {
  abeDecrypt,
  abeEncrypt,
  abeKeyGen,
  abeSetup,
  deserializeAbeCiphertext,
  deserializeAbeMasterKey,
  deserializeAbePublicKey,
  deserializeAbeUserKey,
  initAbe,
  parsePolicy,
  policyAttributes,
  serializeAbeCiphertext,
  serializeAbeMasterKey,
  serializeAbePublicKey,
  serializeAbeUserKey,
  type AbeCiphertext,
  type AbeMasterKey,
  type AbePublicKey,
} from "../src/index.ts";

let publicKey: AbePublicKey;
let masterKey: AbeMasterKey;
const contentKey = globalThis.crypto.getRandomValues(new Uint8Array(32));

beforeAll(async () => {
  await initAbe();
  ({ publicKey, masterKey } = await abeSetup());
});

function subsets<T>(items: T[]): T[][] {
  return Array.from({ length: 1 << items.length }, (_, mask) => items.filter((_, i) => mask & (1 << i)));
}

// Plain-JS statements of each policy, independent of the parser and the LSSS code.
const cases: { policy: string; satisfied: (s: Set<string>) => boolean }[] = [
  { policy: "role:doctor", satisfied: (s) => s.has("role:doctor") },
  { policy: "role:doctor AND dept:cardiology", satisfied: (s) => s.has("role:doctor") && s.has("dept:cardiology") },
  { policy: "a:1 AND b:2 AND c:3", satisfied: (s) => s.has("a:1") && s.has("b:2") && s.has("c:3") },
  { policy: "hospital:h1 OR hospital:h2", satisfied: (s) => s.has("hospital:h1") || s.has("hospital:h2") },
  { policy: "(a:1 OR b:2) AND c:3", satisfied: (s) => (s.has("a:1") || s.has("b:2")) && s.has("c:3") },
  { policy: "2 of (a:1, b:2, c:3)", satisfied: (s) => ["a:1", "b:2", "c:3"].filter((x) => s.has(x)).length >= 2 },
  { policy: "(a:1 AND b:2) OR (a:1 AND c:3)", satisfied: (s) => s.has("a:1") && (s.has("b:2") || s.has("c:3")) },
  {
    policy: "(hospital:H1 OR hospital:H2) AND role:doctor AND dept:cardiology",
    satisfied: (s) =>
      (s.has("hospital:h1") || s.has("hospital:h2")) && s.has("role:doctor") && s.has("dept:cardiology"),
  },
];

describe("FAME CP-ABE", () => {
  for (const { policy, satisfied } of cases) {
    it(`decrypts for exactly the satisfying attribute sets of ${policy}`, async () => {
      const ciphertext = await abeEncrypt(publicKey, policy, contentKey);
      const attributes = [...policyAttributes(parsePolicy(policy)), "dept:distractor"];
      // Every non-empty subset (a key needs at least one attribute; the empty set holds no key at all).
      for (const subset of subsets(attributes).filter((s) => s.length > 0)) {
        const key = await abeKeyGen(masterKey, subset);
        const label = subset.join(",");
        if (satisfied(new Set(subset))) {
          expect(await abeDecrypt(publicKey, key, ciphertext), label).toEqual(contentKey);
        } else {
          await expect(abeDecrypt(publicKey, key, ciphertext), label).rejects.toThrow(/do not satisfy the ciphertext policy/);
        }
      }
    });
  }

  it("rejects a key from a different setup", async () => {
    const other = await abeSetup();
    const key = await abeKeyGen(other.masterKey, ["role:doctor", "dept:cardiology"]);
    const ciphertext = await abeEncrypt(publicKey, "role:doctor AND dept:cardiology", contentKey);
    await expect(abeDecrypt(publicKey, key, ciphertext)).rejects.toThrow(/failed authentication/);
  });

  it("does not let two users pool their attributes (collusion)", async () => {
    const ciphertext = await abeEncrypt(publicKey, "role:doctor AND dept:cardiology", contentKey);
    const doctor = await abeKeyGen(masterKey, ["role:doctor", "dept:surgery"]);
    const nurse = await abeKeyGen(masterKey, ["role:nurse", "dept:cardiology"]);
    // Splice the two keys' attribute parts into one key object.
    const pooled = { ...doctor, attributes: ["role:doctor", "dept:cardiology"], Ky: new Map(doctor.Ky) };
    pooled.Ky.set("dept:cardiology", nurse.Ky.get("dept:cardiology")!);
    await expect(abeDecrypt(publicKey, pooled, ciphertext)).rejects.toThrow(/failed authentication/);
  });

  describe("tampering", () => {
    const policy = "(a:1 OR b:2) AND c:3";
    let ciphertext: AbeCiphertext;
    let key: Awaited<ReturnType<typeof abeKeyGen>>;
    beforeAll(async () => {
      ciphertext = await abeEncrypt(publicKey, policy, contentKey);
      key = await abeKeyGen(masterKey, ["a:1", "c:3"]);
      expect(await abeDecrypt(publicKey, key, ciphertext)).toEqual(contentKey);
    });
    const otherG1 = () => mcl.hashAndMapToG1(`tamper-${Math.random()}`).serializeToHexStr();
    const otherG2 = () => mcl.hashAndMapToG2(`tamper-${Math.random()}`).serializeToHexStr();
    const flipHexByte = (h: string, at: number) => h.slice(0, at) + ((parseInt(h.slice(at, at + 2), 16) ^ 1) + 0x100).toString(16).slice(1) + h.slice(at + 2);

    for (let i = 0; i < 3; i++) {
      it(`fails when ct0[${i}] is replaced`, async () => {
        const bad = structuredClone(ciphertext);
        bad.ct0[i] = otherG2();
        await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/failed authentication/);
      });
    }
    // Row 1 (b:2) is not used by this key: the header hash in the AEAD data must still catch it.
    for (let row = 0; row < 3; row++) {
      for (let l = 0; l < 3; l++) {
        it(`fails when row ${row} component ${l} is replaced`, async () => {
          const bad = structuredClone(ciphertext);
          bad.rows[row]![l] = otherG1();
          await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/failed authentication/);
        });
      }
    }
    it("fails when the AES-GCM body or tag is changed", async () => {
      for (const at of [0, ciphertext.sealed.length - 2]) {
        const bad = { ...ciphertext, sealed: flipHexByte(ciphertext.sealed, at) };
        await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/failed authentication/);
      }
    });
    it("fails when the nonce is changed", async () => {
      const bad = { ...ciphertext, iv: flipHexByte(ciphertext.iv, 0) };
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/failed authentication/);
    });
    it("fails when the policy string is swapped for one with the same matrix", async () => {
      const bad = { ...ciphertext, policy: "(a:1 OR b:2) AND c:3 " };
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/failed authentication/);
    });
    it("fails when the policy is swapped for one with a different matrix", async () => {
      const bad = { ...ciphertext, policy: "(a:1 OR c:3) AND b:2" };
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow();
    });
    it("rejects a point on the curve but outside the prime-order subgroup", async () => {
      // A point on y² = x³ + 4 found by trying x = 1, 2, …; such points almost never lie in the order-r subgroup.
      const outside = new mcl.G1();
      const fp = (n: number) => {
        const v = new mcl.Fp();
        v.setInt(n);
        return v;
      };
      let found = false;
      for (let x = 1; x < 100 && !found; x++) {
        const [ok, y] = mcl.squareRoot(mcl.add(mcl.mul(mcl.mul(fp(x), fp(x)), fp(x)), fp(4)));
        if (!ok) continue;
        outside.setX(fp(x));
        outside.setY(y);
        outside.setZ(fp(1));
        found = mcl.sub(mcl.mul(y, y), mcl.add(mcl.mul(mcl.mul(fp(x), fp(x)), fp(x)), fp(4))).isZero() && !outside.isValidOrder();
      }
      expect(found).toBe(true);
      const bad = structuredClone(ciphertext);
      bad.rows[0]![0] = outside.serializeToHexStr();
      // mcl's default check (used for keys and ct0) refuses such a point outright.
      expect(() => mcl.deserializeHexStrToG1(bad.rows[0]![0]!)).toThrow();
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/not in the prime-order subgroup/);
    });
    it("names a malformed component", async () => {
      const bad = structuredClone(ciphertext);
      bad.rows[2]![1] = "zz";
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/rows\[2\]\[1\]: not a hex string/);
      bad.rows[2]![1] = "ff".repeat(48);
      await expect(abeDecrypt(publicKey, key, bad)).rejects.toThrow(/rows\[2\]\[1\]: not a valid group element/);
    });
  });

  it("round-trips keys and ciphertexts through JSON and still decrypts", async () => {
    const policy = "(hospital:0xabc1 OR hospital:0xabc2) AND role:doctor AND level:2";
    const json = (x: unknown) => JSON.parse(JSON.stringify(x));
    const pk = deserializeAbePublicKey(json(serializeAbePublicKey(publicKey)));
    const mk = deserializeAbeMasterKey(json(serializeAbeMasterKey(masterKey)));
    const userKeyJson = json(serializeAbeUserKey(await abeKeyGen(mk, ["hospital:0xabc2", "role:doctor", "level:2"])));
    expect(userKeyJson).toMatchObject({ v: 1, scheme: "FAME", kind: "user-key" });
    const userKey = deserializeAbeUserKey(userKeyJson);
    const ciphertext = deserializeAbeCiphertext(json(serializeAbeCiphertext(await abeEncrypt(pk, policy, contentKey))));
    expect(ciphertext).toMatchObject({ v: 1, scheme: "FAME", kind: "ciphertext", policy });
    // Keys and ciphertexts made with the original and with the restored objects interoperate.
    expect(await abeDecrypt(publicKey, userKey, ciphertext)).toEqual(contentKey);
    const original = await abeEncrypt(publicKey, policy, contentKey);
    expect(await abeDecrypt(pk, userKey, original)).toEqual(contentKey);
  });

  it("rejects serialized objects of the wrong version, scheme or kind", () => {
    const pkJson = serializeAbePublicKey(publicKey);
    expect(() => deserializeAbePublicKey({ ...pkJson, v: 2 })).toThrow(/unsupported version 2/);
    expect(() => deserializeAbePublicKey({ ...pkJson, scheme: "BSW07" })).toThrow(/unsupported scheme BSW07/);
    expect(() => deserializeAbeMasterKey(pkJson)).toThrow(/object is a public-key/);
    expect(() => deserializeAbePublicKey({ ...pkJson, hA: [pkJson.hA[0]] })).toThrow(/hA: expected 2 elements/);
  });

  it("rejects bad keygen and encrypt input", async () => {
    await expect(abeKeyGen(masterKey, [])).rejects.toThrow(/at least one attribute/);
    await expect(abeKeyGen(masterKey, ["doctor"])).rejects.toThrow(/name:value/);
    await expect(abeEncrypt(publicKey, "role:doctor AND", contentKey)).rejects.toThrow(/position 15/);
  });
});
