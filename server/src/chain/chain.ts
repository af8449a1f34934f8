import { artifactOf, CONTRACT_NAMES, readDeployment, type ContractName, type Deployment } from "@yyl/deploy";
import { ContractHandle, ContractRevertError, UnexpectedResponseError, WebaseError, WebaseFrontClient, type ChainClient } from "@yyl/sdk";
import { ApiError } from "../http/errors.ts";

/** The deployed contracts and the client that reaches them. The only way the server touches the chain. */
export interface Chain {
  client: ChainClient;
  deployment: Deployment;
  contracts: Record<ContractName, ContractHandle>;
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
  // The alliance's account is the default caller: WeBASE-Front wants a user even for view calls.
  const handle = (name: ContractName) =>
    new ContractHandle(client, { ...artifactOf(name), address: deployment.contracts[name].address }, deployment.alliance.address);
  const contracts = Object.fromEntries(CONTRACT_NAMES.map((n) => [n, handle(n)])) as Record<ContractName, ContractHandle>;
  return {
    client,
    deployment,
    contracts,
    registry: contracts.AllianceRegistry,
    emr: contracts.EmrRegistry,
    indexed: new Map(Object.values(contracts).map((h) => [h.address, h])),
  };
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
    // No answer, a node error, an unmapped route (a wrong WEBASE_URL or a 2.x server) or a body that is not
    // WeBASE-Front 3.x's: the chain cannot be used, which is not the caller's mistake.
    if (e instanceof UnexpectedResponseError) throw new ApiError(502, "CHAIN_UNAVAILABLE", e.message);
    if (e instanceof WebaseError) {
      const status = e.httpStatus === 0 || e.httpStatus === 404 || e.httpStatus >= 500 ? 502 : 422;
      throw new ApiError(status, status === 502 ? "CHAIN_UNAVAILABLE" : `WEBASE_${e.code}`, e.errorMessage);
    }
    throw e;
  }
}
