import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CONTRACT_NAMES, type ContractName } from "./plan.ts";

// The record of one network's deployment: deploy/addresses/<network>.json.

const Deployed = z.object({ address: z.string(), blockNumber: z.number(), txHash: z.string().nullable() });

export const DeploymentSchema = z.object({
  network: z.string(),
  groupId: z.string(),
  chainId: z.number(),
  /** Hash of block 0: a chain with another genesis (a reset devnode) has none of these contracts. */
  genesisHash: z.string(),
  /** The alliance's chain account, held by WeBASE-Front under the user name below. */
  alliance: z.object({ address: z.string(), userName: z.string() }),
  admins: z.array(z.string()),
  deployedAt: z.string(),
  contracts: z.object(Object.fromEntries(CONTRACT_NAMES.map((n) => [n, Deployed])) as Record<ContractName, typeof Deployed>),
});

export type Deployment = z.infer<typeof DeploymentSchema>;

export async function readDeployment(file: string): Promise<Deployment | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const parsed = DeploymentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a deployment record: ${parsed.error.message}`);
  return parsed.data;
}

export async function writeDeployment(file: string, d: Deployment): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(d, null, 2) + "\n");
  await rename(tmp, file);
}
