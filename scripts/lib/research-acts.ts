import { canonicalJson, researchAction, type Eip712Domain } from "@yyl/sdk";
import { keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";
import { ApiActor } from "./api-actor.ts";

// A research project run by an alliance admin through the REST API, each step signed as the portal
// signs it (EIP-712 ResearchAction); and the Shapley allocation recorded on chain from a run.

type Signing = { nonce: string; deadline: number };
type Build = (d: Eip712Domain, s: Signing) => Parameters<ApiActor["sign"]>[0];

export interface ShapleyRunView {
  source: "chain" | "inputs";
  method: "exact" | "monte-carlo";
  grandCoalitionValue: string;
  players: {
    hospital: string;
    value: string;
    fraction: string | null;
    amount: string | null;
    recorded: string | null;
  }[];
  inputs: Record<string, unknown>;
  inputsHash: string;
  committed: boolean;
  allocationsMatch: boolean | null;
}

async function step<T>(
  admin: ApiActor,
  path: string,
  build: Build,
  body: Record<string, unknown>,
): Promise<T> {
  const s = ApiActor.freshNonce();
  const signature = await admin.sign(build(await admin.domain("ResearchAllocation"), s));
  return admin.request<T>("POST", path, { ...body, ...s, signature });
}

/** Creates a project named by its title; answers its id. */
export async function createProject(
  admin: ApiActor,
  title: string,
  total: string,
  description: string,
): Promise<string> {
  const s = ApiActor.freshNonce();
  const projectId = solidityPackedKeccak256(["string", "uint256"], [title, BigInt(s.nonce)]);
  const signature = await admin.sign(
    researchAction.create(await admin.domain("ResearchAllocation"), {
      projectId,
      total,
      descriptionHash: keccak256(toUtf8Bytes(description)),
      ...s,
    }),
  );
  await admin.request("POST", "/research/projects", { title, total, description, ...s, signature });
  return projectId;
}

export const addProjectMember = (admin: ApiActor, projectId: string, hospital: string) =>
  step(
    admin,
    `/research/projects/${projectId}/members`,
    (d, s) => researchAction.addMember(d, { projectId, hospital, ...s }),
    {
      hospital,
    },
  );

export const commitProjectInputs = (admin: ApiActor, projectId: string, inputs: Record<string, unknown>) =>
  step(
    admin,
    `/research/projects/${projectId}/inputs`,
    (d, s) =>
      researchAction.commitInputs(d, {
        projectId,
        inputsHash: keccak256(toUtf8Bytes(canonicalJson(inputs))),
        ...s,
      }),
    { inputs },
  );

export const allocateProject = (admin: ApiActor, projectId: string, hospital: string, amount: string) =>
  step(
    admin,
    `/research/projects/${projectId}/allocations`,
    (d, s) => researchAction.allocate(d, { projectId, hospital, amount, ...s }),
    {
      hospital,
      amount,
    },
  );

export const finalizeProject = (admin: ApiActor, projectId: string) =>
  step(
    admin,
    `/research/projects/${projectId}/finalization`,
    (d, s) => researchAction.finalize(d, { projectId, ...s }),
    {},
  );

/** Runs the Shapley allocation from the chain, commits its inputs, records every member's amount and
 *  (by default) finalizes: what the portal's "record on chain" does. Answers the run from the committed inputs. */
export async function recordShapleyAllocation(
  admin: ApiActor,
  projectId: string,
  finalize = true,
): Promise<ShapleyRunView> {
  const run = await admin.request<ShapleyRunView>(
    "GET",
    `/research/projects/${projectId}/shapley?source=chain`,
  );
  await commitProjectInputs(admin, projectId, run.inputs);
  for (const p of run.players) await allocateProject(admin, projectId, p.hospital, p.amount!);
  if (finalize) await finalizeProject(admin, projectId);
  return admin.request<ShapleyRunView>("GET", `/research/projects/${projectId}/shapley?source=inputs`);
}
