// analytics.json — the incentive and analytics algorithms measured in one run on this machine: exact
// and Monte Carlo Shapley allocation, and doctor recommendation (model build, top-10 query, accuracy
// against the per-item-mean baseline). Each part measures itself in scripts/bench/analytics-<part>.ts.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../server/src/config.ts";
import { benchRecommend } from "./analytics-recommend.ts";
import { benchShapley } from "./analytics-shapley.ts";

export async function benchAnalytics(): Promise<void> {
  const parts: Record<string, () => Promise<unknown>> = { shapley: benchShapley, recommend: benchRecommend };
  const results: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(parts)) {
    console.log(`-- ${name}`);
    results[name] = await run();
    console.log(JSON.stringify(results[name], null, 1));
  }
  const out = { measuredAt: new Date().toISOString(), machine: "this machine (2 cores), Node " + process.version, ...results };
  await mkdir(path.join(repoRoot, "bench/results"), { recursive: true });
  await writeFile(path.join(repoRoot, "bench/results/analytics.json"), JSON.stringify(out, null, 2) + "\n");
  console.log("wrote bench/results/analytics.json");
}
