// CP-ABE (FAME on BLS12-381, mcl-wasm) timings on this machine: encrypt and decrypt of a 32-byte content key
// under AND-policies of 2, 5, 10 and 20 attributes (decrypting with a key holding exactly those attributes),
// and keygen for 10 attributes. Encrypt is measured warm (the attribute hashes to G1 are cached after the first
// use, as in a portal that encrypts under the same attributes again) and cold (cache cleared before each run).
import { timeRuns } from "./timing.ts";
import {
  abeDecrypt,
  abeEncrypt,
  abeKeyGen,
  abeSetup,
  clearAbeHashCache,
  initAbe,
} from "../../sdk/src/index.ts";

const time = (runs: number, fn: () => Promise<unknown>, before?: () => void) => timeRuns(runs, fn, before);

export async function benchAbe(runs = 20): Promise<Record<string, unknown>> {
  await initAbe();
  const { publicKey, masterKey } = await abeSetup();
  const contentKey = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const byAttributes: Record<string, unknown> = {};
  for (const n of [2, 5, 10, 20]) {
    const attributes = Array.from({ length: n }, (_, i) => `dept:unit${i}`);
    const policy = attributes.join(" AND ");
    const key = await abeKeyGen(masterKey, attributes);
    const ciphertext = await abeEncrypt(publicKey, policy, contentKey); // warms the hash cache
    byAttributes[String(n)] = {
      encrypt: await time(runs, () => abeEncrypt(publicKey, policy, contentKey)),
      encryptColdHashCache: await time(
        Math.max(10, Math.floor(runs / 2)),
        () => abeEncrypt(publicKey, policy, contentKey),
        clearAbeHashCache,
      ),
      decrypt: await time(runs, () => abeDecrypt(publicKey, key, ciphertext)),
      ciphertextJsonBytes: JSON.stringify(ciphertext).length,
    };
  }
  const tenAttributes = Array.from({ length: 10 }, (_, i) => `dept:unit${i}`);
  return {
    scheme: "FAME (Agrawal-Chase 2017, k=2 / DLIN), BLS12-381, mcl-wasm, AES-256-GCM for the message",
    message: "32-byte content key",
    policies: "AND of n attributes",
    byAttributes,
    keygen10: await time(runs, () => abeKeyGen(masterKey, tenAttributes)),
    setup: await time(5, () => abeSetup()),
  };
}
