// gas.json — gas used by every external function of the contracts, each called once on a happy path
//              on the devnode (Hardhat's EVM, london rules), with each one's share of the chain's
//              per-transaction gas limit (`tx_gas_limit`, 3,000,000,000 by default on FISCO BCOS 3.x).
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deployAll } from "@yyl/deploy";
import { silentLogger, startDevnode } from "@yyl/devnode";
import { WebaseFrontClient } from "@yyl/sdk";
import { Wallet } from "ethers";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../server/src/config.ts";

interface GasRow {
  contract: string;
  fn: string;
  gasUsed: number;
}

async function gasTable(): Promise<GasRow[]> {
  const dir = path.join(repoRoot, "contracts/test/gas");
  const rows: GasRow[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".ts")).sort()) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
      gasScenario?: () => Promise<GasRow[]>;
    };
    if (!mod.gasScenario) throw new Error(`${file} exports no gasScenario`);
    rows.push(...(await mod.gasScenario()));
  }
  return rows.sort((a, b) => a.contract.localeCompare(b.contract) || a.fn.localeCompare(b.fn));
}

/** Deployment is the heaviest transaction each contract sees; FISCO BCOS's limit applies to it too. */
async function deploymentGas(): Promise<{ rows: GasRow[]; txGasLimit: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "yyl-bench-"));
  const devnode = await startDevnode({ dataDir: path.join(dir, "devnode"), port: 0, logger: silentLogger, blockIntervalMs: 0 });
  try {
    const client = new WebaseFrontClient({ baseUrl: devnode.url });
    const { deployment } = await deployAll({
      client,
      network: "bench",
      groupId: "group0",
      chainId: 20200,
      admins: [Wallet.createRandom().address],
      file: path.join(dir, "deployment.json"),
    });
    const rows: GasRow[] = [];
    for (const [contract, d] of Object.entries(deployment.contracts)) {
      const receipt = d.txHash ? await client.transactionReceipt(d.txHash) : null;
      if (!receipt) throw new Error(`no deployment receipt for ${contract}`);
      rows.push({ contract, fn: "(deployment)", gasUsed: Number(receipt.gasUsed) });
    }
    return { rows, txGasLimit: Number((await client.systemConfig("tx_gas_limit")) ?? NaN) };
  } finally {
    await devnode.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchGas(): Promise<void> {
  const deployments = await deploymentGas();
  const rows = [...deployments.rows, ...(await gasTable())];
  const limit = deployments.txGasLimit;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new Error(`the devnode answered no tx_gas_limit`);
  const out = {
    measuredAt: new Date().toISOString(),
    evm: "Hardhat EDR (devnode), evmVersion london",
    fiscoTxGasLimit: limit,
    functions: rows.map((r) => ({
      ...r,
      // Six places: the heaviest transaction is under a thousandth of the default limit.
      shareOfFiscoLimit: Number((r.gasUsed / limit).toFixed(6)),
    })),
  };
  await mkdir(path.join(repoRoot, "bench/results"), { recursive: true });
  await writeFile(path.join(repoRoot, "bench/results/gas.json"), JSON.stringify(out, null, 2) + "\n");
  console.log("contract".padEnd(22), "function".padEnd(28), "gas".padStart(10), `  of ${limit}`);
  for (const r of out.functions) {
    console.log(
      r.contract.padEnd(22),
      r.fn.padEnd(28),
      String(r.gasUsed).padStart(10),
      `  ${(r.shareOfFiscoLimit * 100).toFixed(4)}%`,
    );
  }
  console.log(`wrote bench/results/gas.json (${rows.length} functions)`);
}
