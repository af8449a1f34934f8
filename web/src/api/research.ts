/**
 * Research projects (科研分配) and their Shapley allocation: the alliance admin creates a project, adds
 * member hospitals, runs the allocation from chain data and records it on chain (inputs, each
 * member's amount, finalization), each step signed in the browser.
 */
import { get, post } from "./client";
import type { Signed } from "./consent";
import type { Address, Hex, Page, PageQuery } from "./types";

export interface ProjectSummary {
  projectId: Hex;
  total: string;
  allocated: string;
  memberCount: number;
  description: string | null;
  descriptionHash: Hex;
  inputsHash: Hex | null;
  finalized: boolean;
  createdAt: number;
  txHash: Hex | null;
}

export interface Project extends ProjectSummary {
  members: { hospital: Address; name: string | null; amount: string | null }[];
  inputs: Record<string, unknown> | null;
  inputsVerified: boolean | null;
}

export type ShapleySource = "chain" | "inputs";

export interface ShapleyPlayer {
  hospital: Address;
  name: string | null;
  records: number | null;
  value: string;
  fraction: string | null;
  standardError: number | null;
  standalone: string;
  share: number;
  amount: string | null;
  recorded: string | null;
}

export interface ShapleyRun {
  projectId: Hex;
  source: ShapleySource;
  model: "records" | "table";
  method: "exact" | "monte-carlo";
  total: string;
  grandCoalitionValue: string;
  players: ShapleyPlayer[];
  coalitionsEvaluated: number | null;
  permutations: number | null;
  seed: number | null;
  inputs: Record<string, unknown>;
  inputsHash: Hex;
  committed: boolean;
  allocationsMatch: boolean | null;
}

export const researchApi = {
  list: (query: PageQuery & { finalized?: boolean } = {}) =>
    get<Page<ProjectSummary>>("/research/projects", { params: query }),
  project: (projectId: string) => get<Project>(`/research/projects/${projectId}`),
  create: (body: Signed & { title: string; total: string; description: string }) =>
    post<Project>("/research/projects", body),
  addMember: (projectId: string, body: Signed & { hospital: Address }) =>
    post<Project>(`/research/projects/${projectId}/members`, body),
  commitInputs: (projectId: string, body: Signed & { inputs: Record<string, unknown> }) =>
    post<Project>(`/research/projects/${projectId}/inputs`, body),
  allocate: (projectId: string, body: Signed & { hospital: Address; amount: string }) =>
    post<Project>(`/research/projects/${projectId}/allocations`, body),
  finalize: (projectId: string, body: Signed) =>
    post<Project>(`/research/projects/${projectId}/finalization`, body),
  shapley: (projectId: string, source?: ShapleySource) =>
    get<ShapleyRun>(`/research/projects/${projectId}/shapley`, {
      params: source ? { source } : {},
      silent: true,
    }),
};
