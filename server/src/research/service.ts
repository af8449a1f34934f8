import { canonicalJson, researchActionTypedData, RESEARCH_ACTION } from "@yyl/sdk";
import { solidityPackedKeccak256 } from "ethers";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { keepText, textHashOf } from "../evidence/texts.ts";
import type { ResearchProject } from "../generated/prisma/client.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";
import { playersOf } from "./inputs.ts";

// Research projects (科研分配): every step is an alliance admin's signed ResearchAction, relayed by the
// alliance's account. Each step first checks what ResearchAllocation would refuse, so the caller gets a
// 400 or 409 that says why; the contract still decides. ResearchAllocation itself accepts allocations
// above the total and refuses only at finalization (Σ ≠ total); the API refuses them when recorded.

export interface Signed {
  nonce: string;
  deadline: number;
  signature: string;
}

/** projectId = keccak256(abi.encodePacked(string title, uint256 nonce)), when the client names a title. */
export const projectIdOf = (title: string, nonce: string) =>
  solidityPackedKeccak256(["string", "uint256"], [title, BigInt(nonce)]);

const conflict409 = (code: string, message: string) => new ApiError(409, code, message);

export async function findProject(ctx: AppContext, projectId: string): Promise<ResearchProject> {
  const p = await ctx.prisma.researchProject.findUnique({ where: { projectId } });
  if (!p) throw notFound("research project");
  return p;
}

function openProject(p: ResearchProject): void {
  if (p.finalized)
    throw conflict409("PROJECT_FINALIZED", "the project is finalized; nothing changes any more");
}

async function allocationsOf(ctx: AppContext, projectId: string) {
  return ctx.prisma.researchAllocationRow.findMany({ where: { projectId } });
}

/** Checks the admin's signature over the action, keeps the text behind its hash if any, then relays it. */
async function signedAction(
  ctx: AppContext,
  session: Session,
  fn: string,
  action: { projectId: string; action: number; subject?: string; amount?: bigint; dataHash?: string },
  input: Signed,
  args: readonly unknown[],
  text?: { kind: "research-description" | "research-inputs"; text: string },
): Promise<void> {
  checkDeadline(input.deadline);
  const typed = researchActionTypedData(domainFor(ctx, "ResearchAllocation"), {
    ...action,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  if (text) await keepText(ctx, text.kind, text.text, session.address);
  await relay(ctx, "ResearchAllocation", fn, [...args, input.nonce, input.deadline, input.signature]);
}

export async function createProject(
  ctx: AppContext,
  session: Session,
  input: Signed & { projectId?: string; title?: string; total: string; description: string },
): Promise<string> {
  const derived = input.title !== undefined ? projectIdOf(input.title, input.nonce) : undefined;
  if (input.projectId && derived && input.projectId !== derived) {
    throw badRequest("projectId does not match title and nonce", [
      { path: "projectId", message: `keccak256(title, nonce) is ${derived}` },
    ]);
  }
  const projectId = (input.projectId ?? derived)!;
  const total = BigInt(input.total);
  if (total === 0n)
    throw badRequest("total must be positive", [{ path: "total", message: "must be greater than 0" }]);
  if (await ctx.prisma.researchProject.findUnique({ where: { projectId } }))
    throw conflict409("PROJECT_EXISTS", "a project with this id exists");
  const descriptionHash = textHashOf(input.description);
  const action = { projectId, action: RESEARCH_ACTION.create, amount: total, dataHash: descriptionHash };
  await signedAction(ctx, session, "createProject", action, input, [projectId, total, descriptionHash], {
    kind: "research-description",
    text: input.description,
  });
  return projectId;
}

export async function addMember(
  ctx: AppContext,
  session: Session,
  p: ResearchProject,
  input: Signed & { hospital: string },
): Promise<void> {
  openProject(p);
  const h = await ctx.prisma.member.findUnique({ where: { address: input.hospital } });
  if (!h || h.role !== ROLE_CODES.hospital || h.status !== STATUS_APPROVED) {
    throw badRequest("hospital is not an approved hospital", [
      { path: "hospital", message: "not an approved hospital" },
    ]);
  }
  const existing = await ctx.prisma.researchAllocationRow.findUnique({
    where: { projectId_hospital: { projectId: p.projectId, hospital: input.hospital } },
  });
  if (existing) throw conflict409("ALREADY_MEMBER", "the hospital is already a member of the project");
  const action = { projectId: p.projectId, action: RESEARCH_ACTION.addMember, subject: input.hospital };
  await signedAction(ctx, session, "addMember", action, input, [p.projectId, input.hospital]);
}

export async function commitInputs(
  ctx: AppContext,
  session: Session,
  p: ResearchProject,
  input: Signed & { inputs: Record<string, unknown> },
): Promise<void> {
  openProject(p);
  const members = new Set((await allocationsOf(ctx, p.projectId)).map((a) => a.hospital.toLowerCase()));
  const strangers = playersOf(input.inputs).filter((player) => !members.has(player));
  if (strangers.length) {
    throw badRequest("every player must be a member of the project", [
      { path: "inputs.players", message: `not members: ${strangers.join(", ")}` },
    ]);
  }
  const text = canonicalJson(input.inputs);
  const inputsHash = textHashOf(text);
  const action = { projectId: p.projectId, action: RESEARCH_ACTION.commitInputs, dataHash: inputsHash };
  await signedAction(ctx, session, "commitInputs", action, input, [p.projectId, inputsHash], {
    kind: "research-inputs",
    text,
  });
}

export async function allocate(
  ctx: AppContext,
  session: Session,
  p: ResearchProject,
  input: Signed & { hospital: string; amount: string },
): Promise<void> {
  openProject(p);
  if (!p.inputsHash)
    throw conflict409("INPUTS_NOT_COMMITTED", "commit the project's inputs before allocating");
  const rows = await allocationsOf(ctx, p.projectId);
  const mine = rows.find((r) => r.hospital === input.hospital);
  if (!mine) throw conflict409("NOT_A_MEMBER", "the hospital is not a member of the project");
  const amount = BigInt(input.amount);
  // A later allocation to the same member replaces its earlier one, as on chain.
  const sum = rows.reduce((s, r) => s + BigInt(r.amount ?? 0), 0n) - BigInt(mine.amount ?? 0) + amount;
  if (sum > BigInt(p.total)) {
    throw conflict409(
      "ALLOCATION_EXCEEDS_TOTAL",
      `allocations would sum to ${sum}, above the project's total ${p.total}`,
    );
  }
  const action = {
    projectId: p.projectId,
    action: RESEARCH_ACTION.allocate,
    subject: input.hospital,
    amount,
  };
  await signedAction(ctx, session, "allocate", action, input, [p.projectId, input.hospital, amount]);
}

export async function finalize(
  ctx: AppContext,
  session: Session,
  p: ResearchProject,
  input: Signed,
): Promise<void> {
  openProject(p);
  if (!p.inputsHash)
    throw conflict409("INPUTS_NOT_COMMITTED", "commit the project's inputs before finalizing");
  const sum = (await allocationsOf(ctx, p.projectId)).reduce((s, r) => s + BigInt(r.amount ?? 0), 0n);
  if (sum !== BigInt(p.total)) {
    throw conflict409(
      "ALLOCATION_SUM_MISMATCH",
      `allocations sum to ${sum}, not the project's total ${p.total}`,
    );
  }
  await signedAction(
    ctx,
    session,
    "finalize",
    { projectId: p.projectId, action: RESEARCH_ACTION.finalize },
    input,
    [p.projectId],
  );
}
