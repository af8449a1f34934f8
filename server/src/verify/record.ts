import { contentHashOf, recordIdOf } from "@yyl/sdk";
import { getAddress } from "ethers";
import type { AppContext } from "../context.ts";
import { check, existence, verify, type Check, type Verification } from "./checks.ts";

// A record: its mirror row against EmrRegistry, and its stored ciphertext against the content hash on
// chain. The check names are shown (translated) by the portal; keep them stable.

export interface ChainRecord {
  patient: string;
  doctor: string;
  hospital: string;
  contentHash: string;
  fieldsRoot: string;
  storagePointer: string;
  createdAt: number;
  version: number;
  deleted: boolean;
}

/** The record as EmrRegistry holds it now, or null when the chain does not know it. */
export async function chainRecordOf(ctx: AppContext, recordId: string): Promise<ChainRecord | null> {
  const emr = ctx.chain.emr;
  if (!(await emr.call<boolean>("exists", [recordId]))) return null;
  const c = await emr.call<Record<string, unknown>>("recordOf", [recordId]);
  const version = Number(c.version);
  const [v, deleted] = await Promise.all([
    emr.call<Record<string, unknown>>("versionOf", [recordId, version]),
    emr.call<boolean>("isDeleted", [recordId]),
  ]);
  return {
    patient: getAddress(String(c.patient)),
    doctor: getAddress(String(c.doctor)),
    hospital: getAddress(String(c.hospital)),
    contentHash: String(c.contentHash),
    fieldsRoot: String(v.fieldsRoot),
    storagePointer: String(c.storagePointer),
    createdAt: Number(c.createdAt),
    version,
    deleted,
  };
}

async function inspectRecord(ctx: AppContext, recordId: string) {
  const [row, chain] = await Promise.all([
    ctx.prisma.emrRecord.findUnique({ where: { recordId } }),
    chainRecordOf(ctx, recordId),
  ]);
  if (!chain) {
    return { checks: [existence("record exists on chain", !!row, false)], chain: null };
  }
  const blob = await ctx.prisma.emrBlob.findUnique({ where: { storagePointer: chain.storagePointer } });
  const checks: Check[] = [
    check("record exists on chain", "true", "true"),
    check("record id = keccak256(createdAt, patient)", recordIdOf(chain.createdAt, chain.patient), recordId),
    existence("mirror row exists", !!row, true),
    check("mirror patient", row?.patient, chain.patient),
    check("mirror doctor", row?.doctor, chain.doctor),
    check("mirror hospital", row?.hospital, chain.hospital),
    check("mirror content hash", row?.contentHash, chain.contentHash),
    check("mirror fields root", row?.fieldsRoot, chain.fieldsRoot),
    check("mirror storage pointer", row?.storagePointer, chain.storagePointer),
    check("mirror version", row?.version, chain.version),
    check("mirror deletion", row?.deleted, chain.deleted),
  ];
  if (!chain.deleted) {
    checks.push(
      existence("stored ciphertext exists", !!blob, true),
      check(
        "keccak256(stored ciphertext) = content hash on chain",
        blob ? contentHashOf(blob.envelope) : null,
        chain.contentHash,
      ),
    );
  }
  return { checks, chain: { ...chain } };
}

/** Compares a record's mirror row and stored ciphertext with what the chain holds. */
export function verifyRecord(ctx: AppContext, recordId: string): Promise<Verification> {
  return verify(ctx, "record", recordId, () => inspectRecord(ctx, recordId));
}
