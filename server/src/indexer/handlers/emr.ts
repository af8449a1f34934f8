import { ZeroHash } from "ethers";
import { addr, big, hex, num, where, type EventContext, type EventModule, type Tx } from "./decode.ts";

export type EmrEvent =
  | {
      name: "RecordWritten";
      recordId: string;
      patient: string;
      doctor: string;
      hospital: string;
      contentHash: string;
      fieldsRoot: string;
      storagePointer: string;
      createdAt: bigint;
      version: number;
    }
  | {
      name: "RecordUpdated";
      recordId: string;
      version: number;
      doctor: string;
      hospital: string;
      contentHash: string;
      fieldsRoot: string;
      storagePointer: string;
      reasonHash: string;
    }
  | { name: "RecordDeleted"; recordId: string; reasonHash: string };

export const emrEvents: EventModule<EmrEvent> = {
  decode(name, a) {
    switch (name) {
      case "RecordWritten":
        return {
          name,
          recordId: hex(a.recordId),
          patient: addr(a.patient),
          doctor: addr(a.doctor),
          hospital: addr(a.hospital),
          contentHash: hex(a.contentHash),
          fieldsRoot: hex(a.fieldsRoot),
          storagePointer: String(a.storagePointer),
          createdAt: big(a.createdAt),
          version: num(a.version),
        };
      case "RecordUpdated":
        return {
          name,
          recordId: hex(a.recordId),
          version: num(a.version),
          doctor: addr(a.doctor),
          hospital: addr(a.hospital),
          contentHash: hex(a.contentHash),
          fieldsRoot: hex(a.fieldsRoot),
          storagePointer: String(a.storagePointer),
          reasonHash: hex(a.reasonHash),
        };
      case "RecordDeleted":
        return { name, recordId: hex(a.recordId), reasonHash: hex(a.reasonHash) };
      default:
        return null;
    }
  },

  async apply(tx, ev, at) {
    const w = where(at);
    switch (ev.name) {
      case "RecordWritten": {
        const row = {
          patient: ev.patient,
          doctor: ev.doctor,
          hospital: ev.hospital,
          contentHash: ev.contentHash,
          fieldsRoot: ev.fieldsRoot,
          storagePointer: ev.storagePointer,
          createdAt: ev.createdAt,
          version: ev.version,
          txHash: at.txHash,
          writtenAt: at.blockTime,
          ...w,
        };
        await tx.emrRecord.upsert({ where: { recordId: ev.recordId }, create: { recordId: ev.recordId, ...row }, update: row });
        await upsertVersion(tx, { ...ev, reasonHash: ZeroHash }, at);
        await markDraftOnChain(tx, ev.recordId, 1, ev.contentHash, at);
        return;
      }
      case "RecordUpdated": {
        const latest = {
          doctor: ev.doctor,
          contentHash: ev.contentHash,
          fieldsRoot: ev.fieldsRoot,
          storagePointer: ev.storagePointer,
          version: ev.version,
        };
        await tx.emrRecord.update({ where: { recordId: ev.recordId }, data: latest });
        await upsertVersion(tx, ev, at);
        await markDraftOnChain(tx, ev.recordId, ev.version, ev.contentHash, at);
        return;
      }
      case "RecordDeleted":
        await tx.emrRecord.update({ where: { recordId: ev.recordId }, data: { deleted: true, deleteReason: ev.reasonHash } });
        return;
      default: {
        const unreachable: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  },
};

type VersionFields = Pick<Extract<EmrEvent, { name: "RecordUpdated" }>, "recordId" | "version" | "doctor" | "hospital" | "contentHash" | "fieldsRoot" | "storagePointer" | "reasonHash">;

/** The off-chain draft that became this version, if it was drafted through the API, is on chain now.
 *  The content hash tells it apart from a draft for the same version that another client beat. */
async function markDraftOnChain(tx: Tx, recordId: string, version: number, contentHash: string, at: EventContext): Promise<void> {
  await tx.emrDraft.updateMany({
    where: { recordId, version, contentHash },
    data: { status: "on-chain", txHash: at.txHash, updatedAt: at.blockTime },
  });
}

/** One row per version, whether it came from the first write (reason zero) or an update. */
async function upsertVersion(tx: Tx, v: VersionFields, at: EventContext): Promise<void> {
  const key = { recordId: v.recordId, version: v.version };
  const data = {
    doctor: v.doctor,
    hospital: v.hospital,
    contentHash: v.contentHash,
    fieldsRoot: v.fieldsRoot,
    storagePointer: v.storagePointer,
    reasonHash: v.reasonHash,
    writtenAt: at.blockTime,
    txHash: at.txHash,
    ...where(at),
  };
  await tx.emrRecordVersion.upsert({ where: { recordId_version: key }, create: { ...key, ...data }, update: data });
}
