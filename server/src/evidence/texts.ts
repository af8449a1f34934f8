import { keccak256, toUtf8Bytes } from "ethers";
import type { AppContext } from "../context.ts";

// Texts whose keccak256 goes on chain. The chain proves what was said; this table lets readers see it.

export type EvidenceKind =
  | "complaint-evidence"
  | "emergency-justification"
  | "score-evidence"
  | "feedback-comment"
  | "care-step"
  | "research-inputs"
  | "research-description"
  | "credential"
  | "certification-revocation"
  | "record-reason" // why a record was corrected or deleted (reasonHash in EmrRegistry)
  | "record-category"; // "category:<name>", whose hash is the record's category in ConsentManager

export const textHashOf = (text: string) => keccak256(toUtf8Bytes(text));

/** Stores `text` (once per hash) and returns its hash, to be put on chain. */
export async function keepText(ctx: AppContext, kind: EvidenceKind, text: string, submittedBy: string): Promise<string> {
  const hash = textHashOf(text);
  await ctx.prisma.evidenceText.createMany({ skipDuplicates: true, data: [{ hash, kind, text, submittedBy, at: BigInt(Date.now()) }] });
  return hash;
}

/** The texts behind the given hashes, by hash. */
export async function textsOf(ctx: AppContext, hashes: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(hashes.filter((h): h is string => !!h))];
  if (!wanted.length) return new Map();
  const rows = await ctx.prisma.evidenceText.findMany({ where: { hash: { in: wanted } }, select: { hash: true, text: true } });
  return new Map(rows.map((r) => [r.hash, r.text]));
}
