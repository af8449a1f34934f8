import type { Prisma } from "../../generated/prisma/client.ts";
import { addr, hex, num, where, type EventModule, type Tx } from "./decode.ts";

// CareProcess and HospitalScore.

export type CareEvent =
  | { name: "VisitOpened"; visitId: string; patient: string; hospital: string }
  | { name: "StepRecorded"; visitId: string; step: number; doctor: string; contentHash: string }
  | { name: "VisitFinished"; visitId: string; lastStep: number }
  | { name: "ScoreInitialized"; hospital: string; level: number; score: number }
  | { name: "ScoreAdjusted"; hospital: string; reasonCode: number; delta: number; score: number; evidenceHash: string; admin: string }
  | { name: "FeedbackGiven"; visitId: string; hospital: string; patient: string; rating: number; score: number };

export const careEvents: EventModule<CareEvent> = {
  decode(name, a) {
    switch (name) {
      case "VisitOpened":
        return { name, visitId: hex(a.visitId), patient: addr(a.patient), hospital: addr(a.hospital) };
      case "StepRecorded":
        return { name, visitId: hex(a.visitId), step: num(a.step), doctor: addr(a.doctor), contentHash: hex(a.contentHash) };
      case "VisitFinished":
        return { name, visitId: hex(a.visitId), lastStep: num(a.lastStep) };
      case "ScoreInitialized":
        return { name, hospital: addr(a.hospital), level: num(a.level), score: num(a.score) };
      case "ScoreAdjusted":
        return { name, hospital: addr(a.hospital), reasonCode: num(a.reasonCode), delta: num(a.delta), score: num(a.score), evidenceHash: hex(a.evidenceHash), admin: addr(a.admin) };
      case "FeedbackGiven":
        return { name, visitId: hex(a.visitId), hospital: addr(a.hospital), patient: addr(a.patient), rating: num(a.rating), score: num(a.score) };
      default:
        return null;
    }
  },

  async apply(tx, ev, at) {
    const w = where(at);
    switch (ev.name) {
      case "VisitOpened": {
        const row = { patient: ev.patient, hospital: ev.hospital, lastStep: 0, finished: false, openedAt: at.blockTime, finishedAt: null, ...w };
        await tx.visit.upsert({ where: { visitId: ev.visitId }, create: { visitId: ev.visitId, ...row }, update: row });
        return;
      }
      case "StepRecorded": {
        const row = { doctor: ev.doctor, contentHash: ev.contentHash, at: at.blockTime, txHash: at.txHash, ...w };
        const key = { visitId: ev.visitId, step: ev.step };
        await tx.visitStep.upsert({ where: { visitId_step: key }, create: { ...key, ...row }, update: row });
        await tx.visit.update({ where: { visitId: ev.visitId }, data: { lastStep: ev.step } });
        return;
      }
      case "VisitFinished":
        await tx.visit.update({ where: { visitId: ev.visitId }, data: { finished: true, finishedAt: at.blockTime, lastStep: ev.lastStep } });
        return;
      case "ScoreInitialized": {
        const row = { score: ev.score, level: ev.level, feedbackCount: 0, ratingSum: 0, ...w };
        await tx.hospitalScore.upsert({ where: { hospital: ev.hospital }, create: { hospital: ev.hospital, ...row }, update: row });
        await scoreEvent(tx, { hospital: ev.hospital, kind: "initial", delta: ev.score, score: ev.score, at: at.blockTime, ...w });
        return;
      }
      case "ScoreAdjusted":
        await tx.hospitalScore.update({ where: { hospital: ev.hospital }, data: { score: ev.score, ...w } });
        await scoreEvent(tx, {
          hospital: ev.hospital,
          kind: "adjustment",
          reasonCode: ev.reasonCode,
          delta: ev.delta,
          score: ev.score,
          evidenceHash: ev.evidenceHash,
          actor: ev.admin,
          at: at.blockTime,
          ...w,
        });
        return;
      case "FeedbackGiven": {
        const current = await tx.hospitalScore.findUniqueOrThrow({ where: { hospital: ev.hospital } });
        await tx.hospitalScore.update({
          where: { hospital: ev.hospital },
          data: { score: ev.score, feedbackCount: { increment: 1 }, ratingSum: { increment: ev.rating }, ...w },
        });
        await scoreEvent(tx, {
          hospital: ev.hospital,
          kind: "feedback",
          delta: ev.score - current.score,
          score: ev.score,
          actor: ev.patient,
          visitId: ev.visitId,
          rating: ev.rating,
          at: at.blockTime,
          ...w,
        });
        return;
      }
      default: {
        const unreachable: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  },
};

/** History rows are inserted once: replaying a block skips the row by its (block, log) key. */
async function scoreEvent(tx: Tx, row: Prisma.ScoreEventCreateManyInput): Promise<void> {
  await tx.scoreEvent.createMany({ data: [row], skipDuplicates: true });
}
