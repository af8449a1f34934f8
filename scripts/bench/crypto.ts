// crypto.json — the privacy library measured in one run on this machine: CP-ABE (encrypt/decrypt by
// policy size), ECIES key wrapping, AES-256-GCM throughput, Paillier, de-identification and key
// recovery, Merkle field proofs, and sealing and opening a whole record version as clients do. Each part measures itself in scripts/bench/crypto-<part>.ts.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../server/src/config.ts";
import { benchAbe } from "./crypto-abe.ts";
import { benchDeid } from "./crypto-deid.ts";
import { benchMerkle } from "./crypto-merkle.ts";
import { benchRecord } from "./crypto-record.ts";
import { benchWrap } from "./crypto-wrap.ts";

export async function benchCrypto(): Promise<void> {
  const parts: Record<string, () => Promise<unknown>> = {
    abe: benchAbe,
    wrap: benchWrap,
    deid: benchDeid,
    merkle: benchMerkle,
    record: benchRecord,
  };
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(parts)) {
    console.log(`-- ${name}`);
    results[name] = await run();
    console.log(JSON.stringify(results[name], null, 1));
  }
  const out = {
    measuredAt: new Date().toISOString(),
    machine: "this machine (2 cores), Node " + process.version,
    ...results,
  };
  await mkdir(path.join(repoRoot, "bench/results"), { recursive: true });
  await writeFile(path.join(repoRoot, "bench/results/crypto.json"), JSON.stringify(out, null, 2) + "\n");
  console.log("wrote bench/results/crypto.json");
}
