import { addr, big, hex, num, where, type EventModule } from "./decode.ts";

// ContributionPoints and ResearchAllocation.

export type PointsEvent =
  | { name: "RecordRated"; recordId: string; hospital: string; valueLevel: number; rarityLevel: number }
  | {
      name: "PointsSettled";
      recordId: string;
      patient: string;
      share: number;
      valueLevel: number;
      rarityLevel: number;
      pointsTenths: bigint;
      totalTenths: bigint;
      tier: number;
    }
  | { name: "ProjectCreated"; projectId: string; total: bigint; descriptionHash: string }
  | { name: "ProjectMemberAdded"; projectId: string; hospital: string }
  | { name: "InputsCommitted"; projectId: string; inputsHash: string }
  | { name: "AllocationRecorded"; projectId: string; hospital: string; amount: bigint }
  | { name: "ProjectFinalized"; projectId: string };

export const pointsEvents: EventModule<PointsEvent> = {
  decode(name, a) {
    switch (name) {
      case "RecordRated":
        return { name, recordId: hex(a.recordId), hospital: addr(a.hospital), valueLevel: num(a.valueLevel), rarityLevel: num(a.rarityLevel) };
      case "PointsSettled":
        return {
          name,
          recordId: hex(a.recordId),
          patient: addr(a.patient),
          share: num(a.share),
          valueLevel: num(a.valueLevel),
          rarityLevel: num(a.rarityLevel),
          pointsTenths: big(a.pointsTenths),
          totalTenths: big(a.totalTenths),
          tier: num(a.tier),
        };
      case "ProjectCreated":
        return { name, projectId: hex(a.projectId), total: big(a.total), descriptionHash: hex(a.descriptionHash) };
      case "ProjectMemberAdded":
        return { name, projectId: hex(a.projectId), hospital: addr(a.hospital) };
      case "InputsCommitted":
        return { name, projectId: hex(a.projectId), inputsHash: hex(a.inputsHash) };
      case "AllocationRecorded":
        return { name, projectId: hex(a.projectId), hospital: addr(a.hospital), amount: big(a.amount) };
      case "ProjectFinalized":
        return { name, projectId: hex(a.projectId) };
      default:
        return null;
    }
  },

  async apply(tx, ev, at) {
    const w = where(at);
    switch (ev.name) {
      case "RecordRated": {
        const key = { recordId: ev.recordId, hospital: ev.hospital };
        const row = { valueLevel: ev.valueLevel, rarityLevel: ev.rarityLevel, ratedAt: at.blockTime, ...w };
        await tx.recordRating.upsert({ where: { recordId_hospital: key }, create: { ...key, ...row }, update: row });
        return;
      }
      case "PointsSettled": {
        const row = {
          patient: ev.patient,
          share: ev.share,
          valueLevel: ev.valueLevel,
          rarityLevel: ev.rarityLevel,
          pointsTenths: ev.pointsTenths,
          settledAt: at.blockTime,
          ...w,
        };
        await tx.recordPoints.upsert({ where: { recordId: ev.recordId }, create: { recordId: ev.recordId, ...row }, update: row });
        const total = { totalTenths: ev.totalTenths, tier: ev.tier, ...w };
        await tx.patientPoints.upsert({ where: { patient: ev.patient }, create: { patient: ev.patient, ...total }, update: total });
        return;
      }
      case "ProjectCreated": {
        const row = { total: ev.total.toString(), descriptionHash: ev.descriptionHash, createdAt: at.blockTime, ...w };
        await tx.researchProject.upsert({ where: { projectId: ev.projectId }, create: { projectId: ev.projectId, ...row }, update: row });
        return;
      }
      case "ProjectMemberAdded": {
        const key = { projectId: ev.projectId, hospital: ev.hospital };
        await tx.researchAllocationRow.upsert({ where: { projectId_hospital: key }, create: { ...key, ...w }, update: w });
        return;
      }
      case "InputsCommitted":
        await tx.researchProject.update({ where: { projectId: ev.projectId }, data: { inputsHash: ev.inputsHash } });
        return;
      case "AllocationRecorded":
        await tx.researchAllocationRow.update({
          where: { projectId_hospital: { projectId: ev.projectId, hospital: ev.hospital } },
          data: { amount: ev.amount.toString(), ...w },
        });
        return;
      case "ProjectFinalized":
        await tx.researchProject.update({ where: { projectId: ev.projectId }, data: { finalized: true } });
        return;
      default: {
        const unreachable: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  },
};
