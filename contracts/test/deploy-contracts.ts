/**
 * Deploys contracts for the tests with the constructor arguments of the real deployment plan
 * (deploy/src/plan.ts), so a fixture cannot drift from what `deployAll` puts on the chain.
 *
 * Why not `deployAll` itself: it deploys and wires all nine contracts at once (EmrRegistry.setDelegation
 * included), under one fixed WeBASE user, and writes a deployment file. The tests need each fixture's
 * contracts only, EmrRegistry left unwired (its tests and gas scenario call setDelegation themselves),
 * and a fresh owner per test.
 */
import { ContractHandle, deployContract } from "@yyl/sdk";
import { DEPLOY_PLAN, artifactOf, type ContractName, type PlanContext } from "@yyl/deploy";
import type { Chain } from "./devnode.ts";

export type { ContractName };

export interface DeployRequest<N extends ContractName> {
  /** WeBASE account that deploys (and so owns) the contracts. */
  owner: string;
  /** Admins of a newly deployed AllianceRegistry. */
  admins?: string[];
  chainId: bigint;
  /** Contracts deployed earlier that constructor arguments may name. */
  existing?: Partial<Record<ContractName, string>>;
  /** What to deploy and which WeBASE account each handle sends from by default. */
  deploy: Partial<Record<N, string>>;
}

/**
 * Deploys the requested contracts in the plan's order (dependencies first) and returns their handles.
 */
export async function deployContracts<N extends ContractName>(
  chain: Chain,
  req: DeployRequest<N>,
): Promise<Record<N, ContractHandle>> {
  const addresses: Partial<Record<ContractName, string>> = { ...req.existing };
  const context: PlanContext = {
    admins: req.admins ?? [],
    chainId: Number(req.chainId),
    address: (name) => {
      const address = addresses[name];
      if (!address) throw new Error(`${name} must be deployed before it is used`);
      return address;
    },
  };
  const handles = {} as Record<N, ContractHandle>;
  for (const planned of DEPLOY_PLAN) {
    const name = planned.name as N;
    const defaultUser = req.deploy[name];
    if (defaultUser === undefined) continue;
    const artifact = artifactOf(planned.name);
    const address = await deployContract(chain.client, {
      user: req.owner,
      artifact,
      args: planned.args(context),
    });
    addresses[planned.name] = address;
    handles[name] = new ContractHandle(chain.client, { ...artifact, address }, defaultUser);
  }
  return handles;
}
