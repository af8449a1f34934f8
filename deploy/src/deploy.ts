import { AllianceRegistry, EmrRegistry } from "@yyl/contracts";
import { ContractHandle, deployContract, type ChainClient } from "@yyl/sdk";
import { getAddress } from "ethers";
import { readDeployment, writeDeployment, type Deployment } from "./deployment.ts";

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

/** The alliance's chain account: a key WeBASE-Front holds under a fixed user name, created once. */
export async function allianceAccount(client: ChainClient, userName: string): Promise<string> {
  const existing = (await client.listKeys()).find((k) => k.userName === userName);
  return getAddress(existing ? existing.address : (await client.createKey(userName)).address);
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

/** Deploys AllianceRegistry and EmrRegistry and records them; a second run against the same chain
 *  changes nothing unless `force` is set. */
export async function deployAll(opts: DeployOptions): Promise<{ deployment: Deployment; deployed: boolean }> {
  const log = opts.log ?? (() => {});
  const previous = await readDeployment(opts.file);
  if (previous && !opts.force && (await stillDeployed(opts.client, previous))) {
    log(`contracts already deployed on ${opts.network} (${opts.file}); pass --force to deploy again`);
    return { deployment: previous, deployed: false };
  }
  const userName = opts.allianceUserName ?? "alliance";
  const alliance = await allianceAccount(opts.client, userName);
  const admins = opts.admins.map((a) => getAddress(a));

  const registryAddress = await deployContract(opts.client, {
    user: alliance,
    artifact: AllianceRegistry,
    args: [admins, opts.chainId],
  });
  const registryBlock = await opts.client.blockNumber();
  log(`AllianceRegistry ${registryAddress} (block ${registryBlock})`);
  const emrAddress = await deployContract(opts.client, {
    user: alliance,
    artifact: EmrRegistry,
    args: [registryAddress, opts.chainId],
  });
  const emrBlock = await opts.client.blockNumber();
  log(`EmrRegistry ${emrAddress} (block ${emrBlock})`);

  const genesis = await opts.client.blockByNumber(0);
  const deployment: Deployment = {
    network: opts.network,
    groupId: opts.groupId,
    chainId: opts.chainId,
    genesisHash: genesis?.hash ?? "",
    alliance: { address: alliance, userName },
    admins,
    deployedAt: new Date().toISOString(),
    contracts: {
      AllianceRegistry: { address: getAddress(registryAddress), blockNumber: registryBlock, txHash: null },
      EmrRegistry: { address: getAddress(emrAddress), blockNumber: emrBlock, txHash: null },
    },
  };
  await writeDeployment(opts.file, deployment);
  return { deployment, deployed: true };
}
