import { AllianceRegistry } from "@yyl/contracts";
import { ContractHandle, deployContract, WebaseError, type ChainClient, type TransactionReceipt } from "@yyl/sdk";
import { getAddress } from "ethers";
import { checkChain } from "./chain-check.ts";
import { readDeployment, writeDeployment, type Deployment } from "./deployment.ts";
import { artifactOf, DEPLOY_PLAN, WIRING, type PlanContext } from "./plan.ts";

export interface DeployOptions {
  client: ChainClient;
  network: string;
  groupId: string;
  /** EIP-712 chain id written into every contract's signing domain. */
  chainId: number;
  /** Personal addresses of the alliance admins (their keys stay in their browsers). */
  admins: string[];
  file: string;
  /** Deploy again even if the file says this network already has the contracts. */
  force?: boolean;
  allianceUserName?: string;
  log?: (line: string) => void;
}

/** WeBASE-Front's code for a user name it already holds a key under. */
const USER_NAME_EXISTS = 201038;

/**
 * The alliance's chain account: a key WeBASE-Front holds under a fixed user name, created on the first
 * deployment. WeBASE-Front never lists one key by name without handing out every private key it holds
 * (`privateKey/localKeyStores`), so the address of an existing key comes from the deployment record.
 */
export async function allianceAccount(client: ChainClient, userName: string, recorded: Deployment | null): Promise<string> {
  try {
    return getAddress((await client.createKey(userName)).address);
  } catch (e) {
    if (!(e instanceof WebaseError && e.code === USER_NAME_EXISTS)) throw e;
    if (recorded?.alliance.userName === userName) return getAddress(recorded.alliance.address);
    throw new Error(
      `WeBASE-Front already holds a key named "${userName}" but no deployment record names its address: ` +
        "restore the record, or deploy with another alliance user name",
    );
  }
}

/** The receipt of the deployment that created `address`: WeBASE-Front answers a deployment with the
 *  address only, so the receipt is found in the blocks from `fromBlock` down (other transactions may
 *  share the block or follow it). */
async function deploymentReceipt(client: ChainClient, address: string, fromBlock: number): Promise<TransactionReceipt> {
  const wanted = address.toLowerCase();
  for (let n = fromBlock; n > 0 && n > fromBlock - 50; n--) {
    const found = (await client.receiptsOfBlock(n)).find((r) => r.contractAddress?.toLowerCase() === wanted);
    if (found) return found;
  }
  throw new Error(`no deployment receipt for ${address} in the 50 blocks up to ${fromBlock}`);
}

async function stillDeployed(client: ChainClient, d: Deployment): Promise<boolean> {
  const genesis = await client.blockByNumber(0);
  if (!genesis || genesis.hash !== d.genesisHash) return false;
  try {
    // WeBASE-Front wants a `user` even for view calls.
    const registry = new ContractHandle(client, { ...AllianceRegistry, address: d.contracts.AllianceRegistry.address }, d.alliance.address);
    const owner = await registry.call<string>("owner");
    return getAddress(owner) === getAddress(d.alliance.address);
  } catch {
    return false;
  }
}

/** Deploys every contract of the plan, wires them together and records them; a second run against the
 *  same chain changes nothing unless `force` is set. */
export async function deployAll(opts: DeployOptions): Promise<{ deployment: Deployment; deployed: boolean }> {
  const log = opts.log ?? (() => {});
  // A record this version cannot read (an older set of contracts) means deploying afresh.
  const previous = await readDeployment(opts.file).catch((e: Error) => {
    log(`ignoring ${opts.file}: ${e.message}`);
    return null;
  });
  if (previous && !opts.force && (await stillDeployed(opts.client, previous))) {
    log(`contracts already deployed on ${opts.network} (${opts.file}); pass --force to deploy again`);
    return { deployment: previous, deployed: false };
  }
  await checkChain(opts.client, log);
  const userName = opts.allianceUserName ?? "alliance";
  const alliance = await allianceAccount(opts.client, userName, previous);
  const admins = opts.admins.map((a) => getAddress(a));
  const deployed = {} as Deployment["contracts"];
  const context: PlanContext = {
    admins,
    chainId: opts.chainId,
    address: (name) => {
      const d = deployed[name];
      if (!d) throw new Error(`${name} must be deployed before it is used`);
      return d.address;
    },
  };
  for (const planned of DEPLOY_PLAN) {
    const address = await deployContract(opts.client, { user: alliance, artifact: artifactOf(planned.name), args: planned.args(context) });
    const receipt = await deploymentReceipt(opts.client, address, await opts.client.blockNumber());
    deployed[planned.name] = { address: getAddress(address), blockNumber: receipt.blockNumber, txHash: receipt.transactionHash };
    log(`${planned.name} ${getAddress(address)} (block ${receipt.blockNumber})`);
  }
  for (const w of WIRING) {
    const handle = new ContractHandle(opts.client, { ...artifactOf(w.contract), address: context.address(w.contract) }, alliance);
    await handle.send(w.fn, w.args(context));
    log(`${w.contract}.${w.fn}`);
  }

  const genesis = await opts.client.blockByNumber(0);
  const deployment: Deployment = {
    network: opts.network,
    groupId: opts.groupId,
    chainId: opts.chainId,
    genesisHash: genesis?.hash ?? "",
    alliance: { address: alliance, userName },
    admins,
    deployedAt: new Date().toISOString(),
    contracts: deployed,
  };
  await writeDeployment(opts.file, deployment);
  return { deployment, deployed: true };
}
