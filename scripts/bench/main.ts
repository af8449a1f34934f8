// Benchmarks: `npm run bench [gas|api|crypto|analytics ...]` (all when none is named). Each writes JSON under bench/results/.
import { benchAnalytics } from "./analytics.ts";
import { benchApi } from "./api.ts";
import { benchCrypto } from "./crypto.ts";
import { benchGas } from "./gas.ts";

const BENCHES: Record<string, () => Promise<void>> = {
  gas: benchGas,
  api: benchApi,
  crypto: benchCrypto,
  analytics: benchAnalytics,
};

const wanted = process.argv.slice(2);
for (const name of wanted)
  if (!BENCHES[name])
    throw new Error(`unknown benchmark ${name}; choose from ${Object.keys(BENCHES).join(", ")}`);
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`== ${name}`);
  await BENCHES[name]!();
}
