import { AllianceRegistry, EmrRegistry } from "@yyl/contracts";
import { readDeployment, type Deployment } from "@yyl/deploy";
import { ContractHandle, ContractRevertError, WebaseError, WebaseFrontClient, type ChainClient } from "@yyl/sdk";
import { ApiError } from "../http/errors.ts";

/** The deployed contracts and the client that reaches them. The only way the server touches the chain. */
export interface Chain {
  client: ChainClient;
  deployment: Deployment;
  registry: ContractHandle;
  emr: ContractHandle;
  /** Contracts whose events the indexer mirrors, by lower-case address. */
  indexed: Map<string, ContractHandle>;
}

export async function connectChain(opts: { webaseUrl: string; groupId: string; deploymentFile: string }): Promise<Chain> {
  const deployment = await readDeployment(opts.deploymentFile);
  if (!deployment) {
    throw new Error(`no deployment record at ${opts.deploymentFile}: run the deploy script (npm run deploy -w @yyl/deploy) first`);
  }
  const client = new WebaseFrontClient({ baseUrl: opts.webaseUrl, groupId: opts.groupId });
  const alliance = deployment.alliance.address;
  const registry = new ContractHandle(client, { ...AllianceRegistry, address: deployment.contracts.AllianceRegistry.address }, alliance);
  const emr = new ContractHandle(client, { ...EmrRegistry, address: deployment.contracts.EmrRegistry.address }, alliance);
  return { client, deployment, registry, emr, indexed: new Map([registry, emr].map((h) => [h.address, h])) };
}

/** Runs a chain transaction and turns a refusal into a 422 naming the contract's custom error, and an
 *  unreachable WeBASE-Front into a 502. */
export async function sendTx<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ContractRevertError) {
      throw new ApiError(422, e.errorName ?? "TRANSACTION_REVERTED", e.message);
    }
    if (e instanceof WebaseError) {
      const status = e.httpStatus === 0 || e.httpStatus >= 500 ? 502 : 422;
      throw new ApiError(status, status === 502 ? "CHAIN_UNAVAILABLE" : `WEBASE_${e.code}`, e.errorMessage);
    }
    throw e;
  }
}
