import { STATUS_AFTER_DECISION, STATUS_PENDING } from "../../members/codes.ts";
import { addr, big, hex, num, optionalAddr, where, type EventModule } from "./decode.ts";

export type AllianceEvent =
  | { name: "MemberApplied"; member: string; role: number; hospital: string | null; profileHash: string; operator: string | null }
  | { name: "MemberDecided"; member: string; decision: number; admin: string; reasonHash: string }
  | { name: "AdminAdded" | "AdminRemoved"; admin: string }
  | { name: "HospitalLevelSet"; hospital: string; level: number }
  | { name: "DoctorCertified"; doctor: string; certifier: string; credentialHash: string; department: string; expiresAt: bigint }
  | { name: "CertificationRevoked"; doctor: string; reasonHash: string };

export const allianceEvents: EventModule<AllianceEvent> = {
  decode(name, a) {
    switch (name) {
      case "MemberApplied":
        return { name, member: addr(a.member), role: num(a.role), hospital: optionalAddr(a.hospital), profileHash: hex(a.profileHash), operator: optionalAddr(a.operator) };
      case "MemberDecided":
        return { name, member: addr(a.member), decision: num(a.decision), admin: addr(a.admin), reasonHash: hex(a.reasonHash) };
      case "AdminAdded":
      case "AdminRemoved":
        return { name, admin: addr(a.admin) };
      case "HospitalLevelSet":
        return { name, hospital: addr(a.hospital), level: num(a.level) };
      case "DoctorCertified":
        return { name, doctor: addr(a.doctor), certifier: addr(a.certifier), credentialHash: hex(a.credentialHash), department: hex(a.department), expiresAt: big(a.expiresAt) };
      case "CertificationRevoked":
        return { name, doctor: addr(a.doctor), reasonHash: hex(a.reasonHash) };
      default:
        return null;
    }
  },

  async apply(tx, ev, at) {
    const w = where(at);
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
          ...w,
        };
        await tx.member.upsert({ where: { address: ev.member }, create: { address: ev.member, ...row }, update: row });
        return;
      }
      case "MemberDecided":
        await tx.member.update({
          where: { address: ev.member },
          data: { status: STATUS_AFTER_DECISION[ev.decision] ?? 0, decidedAt: at.blockTime, decidedBy: ev.admin, reasonHash: ev.reasonHash, txHash: at.txHash, ...w },
        });
        return;
      case "AdminAdded":
        await tx.allianceAdmin.upsert({ where: { address: ev.admin }, create: { address: ev.admin, ...w }, update: w });
        return;
      case "AdminRemoved":
        await tx.allianceAdmin.deleteMany({ where: { address: ev.admin } });
        return;
      case "HospitalLevelSet":
        await tx.member.update({ where: { address: ev.hospital }, data: { level: ev.level } });
        return;
      case "DoctorCertified": {
        const row = { certifier: ev.certifier, credentialHash: ev.credentialHash, department: ev.department, issuedAt: at.blockTime, expiresAt: ev.expiresAt, revoked: false, revokeReason: null, ...w };
        await tx.doctorCertification.upsert({ where: { doctor: ev.doctor }, create: { doctor: ev.doctor, ...row }, update: row });
        return;
      }
      case "CertificationRevoked":
        await tx.doctorCertification.update({ where: { doctor: ev.doctor }, data: { revoked: true, revokeReason: ev.reasonHash, ...w } });
        return;
      default: {
        const unreachable: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  },
};
