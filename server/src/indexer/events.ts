import { getAddress, ZeroAddress } from "ethers";
import type { Prisma } from "../generated/prisma/client.ts";
import { STATUS_AFTER_DECISION, STATUS_PENDING } from "../members/codes.ts";

// The project's events as a tagged union, and how each one changes the mirror.

export interface EventContext {
  blockNumber: number;
  logIndex: number;
  txHash: string;
  blockTime: bigint;
}

export type ChainEventOf =
  | { name: "MemberApplied"; member: string; role: number; hospital: string | null; profileHash: string; operator: string | null }
  | { name: "MemberDecided"; member: string; decision: number; admin: string; reasonHash: string }
  | { name: "AdminAdded"; admin: string }
  | { name: "AdminRemoved"; admin: string }
  | {
      name: "RecordWritten";
      recordId: string;
      patient: string;
      doctor: string;
      hospital: string;
      contentHash: string;
      storagePointer: string;
      createdAt: bigint;
      version: number;
    };

const addr = (v: unknown) => getAddress(String(v));
const optionalAddr = (v: unknown) => (String(v).toLowerCase() === ZeroAddress ? null : addr(v));
const hex = (v: unknown) => String(v).toLowerCase();

/** Narrows a decoded log to one of the events the mirror knows; others are kept only as raw rows. */
export function toKnownEvent(e: { name: string; args: Record<string, unknown> }): ChainEventOf | null {
  const a = e.args;
  switch (e.name) {
    case "MemberApplied":
      return {
        name: e.name,
        member: addr(a.member),
        role: Number(a.role),
        hospital: optionalAddr(a.hospital),
        profileHash: hex(a.profileHash),
        operator: optionalAddr(a.operator),
      };
    case "MemberDecided":
      return { name: e.name, member: addr(a.member), decision: Number(a.decision), admin: addr(a.admin), reasonHash: hex(a.reasonHash) };
    case "AdminAdded":
    case "AdminRemoved":
      return { name: e.name, admin: addr(a.admin) };
    case "RecordWritten":
      return {
        name: e.name,
        recordId: hex(a.recordId),
        patient: addr(a.patient),
        doctor: addr(a.doctor),
        hospital: addr(a.hospital),
        contentHash: hex(a.contentHash),
        storagePointer: String(a.storagePointer),
        createdAt: BigInt(a.createdAt as bigint),
        version: Number(a.version),
      };
    default:
      return null;
  }
}

/** Applies one event to the mirror inside the block's transaction. Every write is an upsert keyed by
 *  the entity, so replaying a block leaves the same rows. */
export async function applyEvent(tx: Prisma.TransactionClient, ev: ChainEventOf, at: EventContext): Promise<void> {
  const where = { blockNumber: at.blockNumber, logIndex: at.logIndex };
  switch (ev.name) {
    case "MemberApplied": {
      const row = {
        role: ev.role,
        status: STATUS_PENDING,
        hospital: ev.hospital,
        profileHash: ev.profileHash,
        operator: ev.operator,
        appliedAt: at.blockTime,
        decidedAt: null,
        decidedBy: null,
        reasonHash: null,
        txHash: at.txHash,
        ...where,
      };
      await tx.member.upsert({ where: { address: ev.member }, create: { address: ev.member, ...row }, update: row });
      return;
    }
    case "MemberDecided":
      await tx.member.update({
        where: { address: ev.member },
        data: {
          status: STATUS_AFTER_DECISION[ev.decision] ?? 0,
          decidedAt: at.blockTime,
          decidedBy: ev.admin,
          reasonHash: ev.reasonHash,
          txHash: at.txHash,
          ...where,
        },
      });
      return;
    case "AdminAdded":
      await tx.allianceAdmin.upsert({ where: { address: ev.admin }, create: { address: ev.admin, ...where }, update: where });
      return;
    case "AdminRemoved":
      await tx.allianceAdmin.deleteMany({ where: { address: ev.admin } });
      return;
    case "RecordWritten": {
      const row = {
        patient: ev.patient,
        doctor: ev.doctor,
        hospital: ev.hospital,
        contentHash: ev.contentHash,
        storagePointer: ev.storagePointer,
        createdAt: ev.createdAt,
        version: ev.version,
        txHash: at.txHash,
        writtenAt: at.blockTime,
        ...where,
      };
      await tx.emrRecord.upsert({ where: { recordId: ev.recordId }, create: { recordId: ev.recordId, ...row }, update: row });
      await tx.emrDraft.updateMany({ where: { recordId: ev.recordId }, data: { status: "on-chain", txHash: at.txHash, updatedAt: at.blockTime } });
      return;
    }
    default: {
      const unreachable: never = ev;
      throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
    }
  }
}
