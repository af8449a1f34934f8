// Key wrapping and aggregates measured on this machine: ECIES wrap/unwrap of a 32-byte content key,
// AES-256-GCM throughput on 1 MB and 16 MB, and Paillier 2048 (keygen, encrypt online/offline,
// homomorphic add, decrypt with CRT, textbook and paillier-bigint's own). Returns JSON; writes nothing.
import {
  PaillierRandomness,
  addAll,
  createWallet,
  decryptCrt,
  decryptPlain,
  eciesUnwrap,
  eciesWrap,
  encryptCount,
  generateContentKey,
  generatePaillierKeyPair,
  parseCiphertext,
  publicKeyOf,
  sealContent,
  toLibraryPrivateKey,
} from "../../sdk/src/index.ts";
import { timeRuns } from "./timing.ts";

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const time = (samples: number, run: (i: number) => unknown) => timeRuns(samples, run);

async function aesThroughput(bytes: number, runs: number) {
  const data = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += 65536)
    globalThis.crypto.getRandomValues(data.subarray(at, Math.min(bytes, at + 65536)));
  const key = generateContentKey();
  const raw = await globalThis.crypto.subtle.importKey(
    "raw",
    Uint8Array.from(key),
    { name: "AES-GCM" },
    false,
    ["encrypt"],
  );
  await sealContent(data, key); // warm-up
  const sealed = await time(runs, () => sealContent(data, key, "rec:1"));
  const webCrypto = await time(runs, () => {
    const iv = new Uint8Array(12);
    globalThis.crypto.getRandomValues(iv);
    return globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv }, raw, data);
  });
  const mb = bytes / (1 << 20);
  return {
    megabytes: mb,
    runs,
    // sealContent includes the copy and base64 encoding of the envelope; WebCrypto is the cipher alone
    sealContentMBps: round(mb / (sealed.meanMs / 1000), 1),
    webCryptoEncryptMBps: round(mb / (webCrypto.meanMs / 1000), 1),
    sealContentMs: sealed,
    webCryptoEncryptMs: webCrypto,
  };
}

export async function benchWrap() {
  // ---- ECIES -----------------------------------------------------------------------------------
  const ECIES_SAMPLES = 300;
  const reader = createWallet();
  const pk = publicKeyOf(reader.privateKey);
  const contentKey = generateContentKey();
  const aad = "0x" + "ab".repeat(32) + ":1";
  for (let i = 0; i < 20; i++)
    await eciesUnwrap(reader.privateKey, await eciesWrap(pk, contentKey, aad), aad); // warm-up
  const wrapped = await Promise.all(
    Array.from({ length: ECIES_SAMPLES }, () => eciesWrap(pk, contentKey, aad)),
  );
  const wrap = await time(ECIES_SAMPLES, () => eciesWrap(pk, contentKey, aad));
  const unwrap = await time(ECIES_SAMPLES, (i) => eciesUnwrap(reader.privateKey, wrapped[i]!, aad));

  // ---- AES-256-GCM -----------------------------------------------------------------------------
  const aes1 = await aesThroughput(1 << 20, 30);
  const aes16 = await aesThroughput(16 << 20, 8);

  // ---- Paillier 2048 ---------------------------------------------------------------------------
  const KEYGEN_RUNS = 3;
  const keys: Awaited<ReturnType<typeof generatePaillierKeyPair>>[] = [];
  const keygen = await time(KEYGEN_RUNS, async () => keys.push(await generatePaillierKeyPair()));
  const { publicKey, privateKey } = keys[0]!;
  const ENC_SAMPLES = 200;
  const OFFLINE_SAMPLES = 30;
  const pool = new PaillierRandomness(publicKey);
  const precompute = await time(OFFLINE_SAMPLES, () => pool.compute());
  await pool.fill(ENC_SAMPLES);
  const counts = Array.from({ length: ENC_SAMPLES }, (_, i) => (i * 7919) % 100_000);
  const online = await time(ENC_SAMPLES, (i) => encryptCount(publicKey, counts[i]!, pool));
  const offline = await time(OFFLINE_SAMPLES, (i) => encryptCount(publicKey, counts[i]!));
  const cts = counts.map((c) => encryptCount(publicKey, c, pool));
  const addPair = await time(ENC_SAMPLES, (i) => addAll(publicKey, [cts[i]!, cts[(i + 1) % cts.length]!]));
  const t = performance.now();
  const sum = addAll(publicKey, cts);
  const addAllMs = performance.now() - t;
  const DEC_SAMPLES = 50;
  const raw = cts.slice(0, DEC_SAMPLES).map((ct) => parseCiphertext(publicKey, ct));
  const crt = await time(DEC_SAMPLES, (i) => decryptCrt(privateKey, raw[i]!));
  const plain = await time(10, (i) => decryptPlain(privateKey, raw[i]!));
  const lib = toLibraryPrivateKey(privateKey);
  const libDecrypt = await time(10, (i) => lib.decrypt(raw[i]!));
  const libEncrypt = await time(10, (i) => publicKey.encrypt(BigInt(counts[i]!)));
  if (decryptCrt(privateKey, parseCiphertext(publicKey, sum)) !== BigInt(counts.reduce((a, b) => a + b, 0))) {
    throw new Error("benchmark self-check failed: decrypted sum differs from the plain sum");
  }

  return {
    ecies: { curve: "secp256k1", secretBytes: 32, wrapMs: wrap, unwrapMs: unwrap },
    aes256gcm: { "1MB": aes1, "16MB": aes16 },
    paillier: {
      bits: 2048,
      keygenMs: keygen,
      precomputeRnMs: precompute,
      encryptOnlineMs: online,
      encryptOfflineFullMs: offline,
      paillierBigintEncryptMs: libEncrypt,
      addTwoMs: addPair,
      addAll: { ciphertexts: cts.length, ms: round(addAllMs) },
      decryptCrtMs: crt,
      decryptPlainMs: plain,
      paillierBigintDecryptMs: libDecrypt,
      targets: {
        encryptOnlineUnder20Ms: online.meanMs < 20,
        decryptCrtUnder20Ms: crt.meanMs < 20,
        decryptCrtCpuUnder20Ms: crt.cpuMeanMs < 20,
      },
    },
  };
}
