// Public CP-ABE API: FAME key encapsulation plus AES-256-GCM for the message (normally a 32-byte content key).
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { fameDecapsulate, fameEncapsulate, fameKeyGen, fameSetup } from "./fame.ts";
import { initAbe } from "./group.ts";
import {
  deserializeHeader,
  deserializeMasterKey,
  deserializePublicKey,
  deserializeUserKey,
  serializeHeader,
  serializeMasterKey,
  serializePublicKey,
  serializeUserKey,
  type AbeCiphertextJson,
} from "./serialize.ts";
import mcl, { type GT } from "mcl-wasm";
import type { FameMasterKey, FamePublicKey, FameUserKey } from "./fame.ts";

export { initAbe, clearAbeHashCache } from "./group.ts";
export { parsePolicy, policyAttributes, policySatisfied, normalizeAttribute, canonicalPolicy, type PolicyNode } from "./policy.ts";
export { buildLsss, reconstructionCoefficients, FR_ORDER, type LsssMatrix, type LsssRow } from "./lsss.ts";
export type { AbeCiphertextJson, AbeMasterKeyJson, AbePublicKeyJson, AbeUserKeyJson } from "./serialize.ts";
export {
  serializePublicKey as serializeAbePublicKey,
  deserializePublicKey as deserializeAbePublicKey,
  serializeMasterKey as serializeAbeMasterKey,
  deserializeMasterKey as deserializeAbeMasterKey,
  serializeUserKey as serializeAbeUserKey,
  deserializeUserKey as deserializeAbeUserKey,
};
export type { FamePublicKey as AbePublicKey, FameMasterKey as AbeMasterKey, FameUserKey as AbeUserKey } from "./fame.ts";

/** Ciphertexts travel in their JSON form: the same object is stored, sent and decrypted. */
export type AbeCiphertext = AbeCiphertextJson;
export const serializeAbeCiphertext = (ct: AbeCiphertext): AbeCiphertextJson => structuredClone(ct);
export const deserializeAbeCiphertext = (json: unknown): AbeCiphertext => {
  deserializeHeader(json); // validates every field and group element
  return structuredClone(json as AbeCiphertextJson);
};

const utf8 = new TextEncoder();

// The GT element is hashed to the AES key. The associated data covers the policy text and every group
// element of the header: a changed row that this key's decryption does not use (the other branch of an OR)
// would otherwise go unnoticed, and a swapped policy string could keep the same matrix shape.
async function aesKeyFrom(secret: GT): Promise<CryptoKey> {
  const raw = hkdf(sha256, secret.serialize(), utf8.encode("yyl-abe/FAME/v1"), utf8.encode("AES-256-GCM content key wrap"), 32);
  return globalThis.crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}
function associatedData(ct: Pick<AbeCiphertextJson, "policy" | "ct0" | "rows">): Uint8Array<ArrayBuffer> {
  const header = [ct.policy, ct.ct0.join(","), ct.rows.map((row) => row.join(",")).join(";")].join("\u0000");
  return new Uint8Array(sha256(utf8.encode(`yyl-abe/FAME/v1\u0000${header}`)));
}

/** Creates the alliance's public key and master key (the master key never leaves the issuing authority). */
export function abeSetup(): Promise<{ publicKey: FamePublicKey; masterKey: FameMasterKey }> {
  return fameSetup();
}

/** Issues a user key for a set of `name:value` attributes (lower-cased, duplicates dropped). */
export function abeKeyGen(masterKey: FameMasterKey, attributes: string[]): Promise<FameUserKey> {
  return fameKeyGen(masterKey, attributes);
}

/** Encrypts `message` so that only keys whose attributes satisfy `policy` can decrypt it. */
export async function abeEncrypt(
  publicKey: FamePublicKey,
  policy: string,
  message: Uint8Array,
): Promise<AbeCiphertext> {
  if (!(message instanceof Uint8Array)) throw new Error("abeEncrypt: message must be a Uint8Array");
  const { header, key } = await fameEncapsulate(publicKey, policy);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const unsealed = serializeHeader(header, iv, new Uint8Array(0));
  const sealed = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: associatedData(unsealed) },
      await aesKeyFrom(key),
      new Uint8Array(message),
    ),
  );
  return { ...unsealed, sealed: mcl.toHexStr(sealed) };
}

/** Decrypts; throws when the key does not satisfy the policy or the ciphertext fails authentication. */
export async function abeDecrypt(
  _publicKey: FamePublicKey | null, // FAME decryption does not use it; kept for the usual ABE call shape
  userKey: FameUserKey,
  ciphertext: AbeCiphertext,
): Promise<Uint8Array> {
  await initAbe();
  const { header, iv, sealed } = deserializeHeader(ciphertext);
  const secret = await fameDecapsulate(userKey, header);
  try {
    return new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        { name: "AES-GCM", iv: new Uint8Array(iv), additionalData: associatedData(ciphertext) },
        await aesKeyFrom(secret),
        new Uint8Array(sealed),
      ),
    );
  } catch {
    throw new Error("ABE ciphertext failed authentication: it was altered, or the key is from another setup");
  }
}
