import { addr, big, hex, num, where, type EventContext, type EventModule, type Tx } from "./decode.ts";

interface GrantTerms {
  patient: string;
  grantee: string;
  scope: string;
  scopeKind: number;
  level: number;
  expiresAt: bigint;
}

/** A grant's history: each grant or revocation is a new version; the rows are never changed. */
async function addGrantVersion(tx: Tx, grantId: string, version: number, status: "active" | "revoked", g: GrantTerms, signer: string, at: EventContext) {
  await tx.consentGrantVersion.createMany({
    skipDuplicates: true,
    data: [
      {
        grantId,
        version,
        status,
        patient: g.patient,
        grantee: g.grantee,
        scope: g.scope,
        scopeKind: g.scopeKind,
        level: g.level,
        expiresAt: g.expiresAt,
        signer,
        at: at.blockTime,
        txHash: at.txHash,
        ...where(at),
      },
    ],
  });
}

// PatientDelegation, ConsentManager and EmergencyAccess.

export type ConsentEvent =
  | { name: "DelegationGranted"; patient: string; delegate: string; scopes: number; validFrom: bigint; validUntil: bigint }
  | { name: "DelegationRevoked"; patient: string; delegate: string }
  | ({ name: "AccessGranted"; grantId: string; signer: string } & GrantTerms)
  | { name: "AccessRevoked"; grantId: string; signer: string }
  | { name: "RecordClassified"; recordId: string; category: string }
  | {
      name: "AccessRequested";
      recordId: string;
      requester: string;
      patient: string;
      granted: boolean;
      reason: number;
      level: number;
      purposeHash: string;
    }
  | { name: "Blacklisted"; requester: string; denied: number; windowStart: bigint }
  | { name: "BlacklistLifted"; requester: string; admin: string }
  | { name: "ComplaintFiled"; complaintId: number; patient: string; subject: string; evidenceHash: string; signer: string }
  | {
      name: "EmergencyAccessed";
      accessId: number;
      recordId: string;
      doctor: string;
      patient: string;
      hospital: string;
      reasonCode: number;
      justificationHash: string;
    }
  | { name: "EmergencyReviewed"; accessId: number; outcome: number; admin: string };

export const consentEvents: EventModule<ConsentEvent> = {
  decode(name, a) {
    switch (name) {
      case "DelegationGranted":
        return { name, patient: addr(a.patient), delegate: addr(a.delegate), scopes: num(a.scopes), validFrom: big(a.validFrom), validUntil: big(a.validUntil) };
      case "DelegationRevoked":
        return { name, patient: addr(a.patient), delegate: addr(a.delegate) };
      case "AccessGranted":
        return {
          name,
          grantId: hex(a.grantId),
          patient: addr(a.patient),
          grantee: addr(a.grantee),
          scope: hex(a.scope),
          scopeKind: num(a.scopeKind),
          level: num(a.level),
          expiresAt: big(a.expiresAt),
          signer: addr(a.signer),
        };
      case "AccessRevoked":
        return { name, grantId: hex(a.grantId), signer: addr(a.signer) };
      case "RecordClassified":
        return { name, recordId: hex(a.recordId), category: hex(a.category) };
      case "AccessRequested":
        return {
          name,
          recordId: hex(a.recordId),
          requester: addr(a.requester),
          patient: addr(a.patient),
          granted: Boolean(a.granted),
          reason: num(a.reason),
          level: num(a.level),
          purposeHash: hex(a.purposeHash),
        };
      case "Blacklisted":
        return { name, requester: addr(a.requester), denied: num(a.denied), windowStart: big(a.windowStart) };
      case "BlacklistLifted":
        return { name, requester: addr(a.requester), admin: addr(a.admin) };
      case "ComplaintFiled":
        return { name, complaintId: num(a.complaintId), patient: addr(a.patient), subject: hex(a.subject), evidenceHash: hex(a.evidenceHash), signer: addr(a.signer) };
      case "EmergencyAccessed":
        return {
          name,
          accessId: num(a.accessId),
          recordId: hex(a.recordId),
          doctor: addr(a.doctor),
          patient: addr(a.patient),
          hospital: addr(a.hospital),
          reasonCode: num(a.reasonCode),
          justificationHash: hex(a.justificationHash),
        };
      case "EmergencyReviewed":
        return { name, accessId: num(a.accessId), outcome: num(a.outcome), admin: addr(a.admin) };
      default:
        return null;
    }
  },

  async apply(tx, ev, at) {
    const w = where(at);
    switch (ev.name) {
      case "DelegationGranted": {
        const row = { scopes: ev.scopes, validFrom: ev.validFrom, validUntil: ev.validUntil, revoked: false, ...w };
        const key = { patient: ev.patient, delegate: ev.delegate };
        await tx.delegation.upsert({ where: { patient_delegate: key }, create: { ...key, ...row }, update: row });
        return;
      }
      case "DelegationRevoked":
        await tx.delegation.update({ where: { patient_delegate: { patient: ev.patient, delegate: ev.delegate } }, data: { revoked: true, ...w } });
        return;
      case "AccessGranted": {
        const previous = await tx.consentGrant.findUnique({ where: { grantId: ev.grantId }, select: { version: true } });
        const version = (previous?.version ?? 0) + 1;
        const row = {
          patient: ev.patient,
          grantee: ev.grantee,
          scope: ev.scope,
          scopeKind: ev.scopeKind,
          level: ev.level,
          expiresAt: ev.expiresAt,
          revoked: false,
          signer: ev.signer,
          grantedAt: at.blockTime,
          version,
          ...w,
        };
        await tx.consentGrant.upsert({ where: { grantId: ev.grantId }, create: { grantId: ev.grantId, ...row }, update: row });
        await addGrantVersion(tx, ev.grantId, version, "active", row, ev.signer, at);
        return;
      }
      case "AccessRevoked": {
        const current = await tx.consentGrant.findUniqueOrThrow({ where: { grantId: ev.grantId } });
        const version = current.version + 1;
        await tx.consentGrant.update({ where: { grantId: ev.grantId }, data: { revoked: true, version, ...w } });
        await addGrantVersion(tx, ev.grantId, version, "revoked", current, ev.signer, at);
        return;
      }
      case "RecordClassified":
        await tx.emrRecord.updateMany({ where: { recordId: ev.recordId }, data: { category: ev.category } });
        return;
      case "AccessRequested":
        await tx.accessRequest.createMany({
          skipDuplicates: true,
          data: [{ ...w, recordId: ev.recordId, requester: ev.requester, patient: ev.patient, granted: ev.granted, reason: ev.reason, level: ev.level, purposeHash: ev.purposeHash, at: at.blockTime, txHash: at.txHash }],
        });
        return;
      case "Blacklisted": {
        const row = { denied: ev.denied, windowStart: ev.windowStart, listedAt: at.blockTime, liftedAt: null, liftedBy: null, ...w };
        await tx.blacklistEntry.upsert({ where: { requester: ev.requester }, create: { requester: ev.requester, ...row }, update: row });
        return;
      }
      case "BlacklistLifted":
        await tx.blacklistEntry.updateMany({ where: { requester: ev.requester }, data: { liftedAt: at.blockTime, liftedBy: ev.admin, ...w } });
        return;
      case "ComplaintFiled": {
        const row = { patient: ev.patient, subject: ev.subject, evidenceHash: ev.evidenceHash, signer: ev.signer, filedAt: at.blockTime, ...w };
        await tx.complaint.upsert({ where: { complaintId: ev.complaintId }, create: { complaintId: ev.complaintId, ...row }, update: row });
        return;
      }
      case "EmergencyAccessed": {
        const row = {
          recordId: ev.recordId,
          doctor: ev.doctor,
          patient: ev.patient,
          hospital: ev.hospital,
          reasonCode: ev.reasonCode,
          justificationHash: ev.justificationHash,
          accessedAt: at.blockTime,
          ...w,
        };
        await tx.emergencyAccessEntry.upsert({ where: { accessId: ev.accessId }, create: { accessId: ev.accessId, ...row }, update: row });
        return;
      }
      case "EmergencyReviewed":
        await tx.emergencyAccessEntry.update({ where: { accessId: ev.accessId }, data: { reviewOutcome: ev.outcome, reviewedBy: ev.admin } });
        return;
      default: {
        const unreachable: never = ev;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  },
};
