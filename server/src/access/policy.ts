import type { Role, Session } from "../auth/session.ts";

// The one access policy: for each action, which role may do it and in what relation to the resource.
// Checked only through `isAllowed` (by AuditLog.authorize); tested cell by cell in
// server/test/policy.test.ts.
//
// List actions ("….list") are granted to a role with relation "any"; the service then narrows the
// rows to those the same relations allow (a patient's own, a doctor's patients, a grantee's grants),
// in SQL, so the table states who may ask and the service states which rows they get.

export type Relation =
  | "any" // the role alone suffices
  | "owner" // the resource's owner: the patient of a record, grant or visit; the member of a membership
  | "attending-doctor" // the doctor who wrote the record
  | "hospital" // the caller is the hospital the resource belongs to
  | "same-hospital" // the caller is a doctor of the hospital the resource belongs to
  | "delegate" // the caller is a guardian acting for the owner within an active delegation
  | "grantee"; // the caller (or, for a doctor, their hospital) holds an active grant covering the resource

type Rule = { role: Role; relation: Relation };

const anyOf = (...roles: Role[]): Rule[] => roles.map((role) => ({ role, relation: "any" }));
/** A patient's guardian signs in as whatever they are themselves: a patient, or no member at all. */
const delegates: Rule[] = [
  { role: "patient", relation: "delegate" },
  { role: "applicant", relation: "delegate" },
];
const patientOrDelegate: Rule[] = [{ role: "patient", relation: "owner" }, ...delegates];
/** Readers of a record's content: its patient (or guardian), its author, and grantees. */
const recordReaders: Rule[] = [
  ...patientOrDelegate,
  { role: "doctor", relation: "attending-doctor" },
  { role: "doctor", relation: "grantee" },
  { role: "hospital", relation: "grantee" },
  { role: "regulator", relation: "grantee" },
];

export const POLICY = {
  // membership
  "member.list": anyOf("alliance-admin", "regulator", "hospital", "doctor"),
  "member.read": [
    ...anyOf("alliance-admin", "regulator"),
    { role: "applicant", relation: "owner" },
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "owner" },
    { role: "hospital", relation: "owner" },
    { role: "hospital", relation: "hospital" },
  ],
  "member.register-doctor": [{ role: "hospital", relation: "hospital" }],
  "member.certify-doctor": [{ role: "hospital", relation: "hospital" }],
  "member.decide": anyOf("alliance-admin"),
  "member.set-level": anyOf("alliance-admin"),
  "regulator.manage": anyOf("alliance-admin"),
  "regulator.list": anyOf("alliance-admin", "regulator"),

  // medical records
  "emr.draft.create": anyOf("doctor"),
  "emr.draft.read": [...patientOrDelegate, { role: "doctor", relation: "attending-doctor" }],
  "emr.draft.cosign": patientOrDelegate,
  "emr.draft.sign": [{ role: "doctor", relation: "attending-doctor" }],
  "emr.record.list": anyOf("alliance-admin", "regulator", "patient", "applicant", "doctor", "hospital"),
  "emr.record.read": recordReaders,
  "emr.record.history": recordReaders,
  "emr.record.update": [
    { role: "doctor", relation: "attending-doctor" },
    { role: "doctor", relation: "same-hospital" },
  ],
  "emr.record.delete": patientOrDelegate,
  "emr.record.classify": [{ role: "hospital", relation: "hospital" }],
  "emr.record.verify": [
    ...anyOf("alliance-admin", "regulator"),
    ...recordReaders,
    { role: "hospital", relation: "hospital" },
  ],
  "emr.emergency.open": anyOf("doctor"),
  "emr.emergency.review": anyOf("alliance-admin"),
  "emr.emergency.list": anyOf("alliance-admin", "regulator", "patient", "applicant", "doctor", "hospital"),

  // consent, guardians, complaints, blacklist
  "consent.grant": patientOrDelegate,
  "consent.revoke": patientOrDelegate,
  "consent.list": anyOf("regulator", "patient", "applicant", "doctor", "hospital"),
  "consent.read": [
    ...anyOf("regulator"),
    ...patientOrDelegate,
    { role: "doctor", relation: "grantee" },
    { role: "hospital", relation: "grantee" },
  ],
  "consent.access-log": [...anyOf("alliance-admin", "regulator"), ...patientOrDelegate],
  "delegation.grant": [{ role: "patient", relation: "owner" }],
  "delegation.revoke": [{ role: "patient", relation: "owner" }],
  "delegation.list": anyOf("patient", "applicant", "doctor"),
  "complaint.file": patientOrDelegate,
  "complaint.list": anyOf("alliance-admin", "regulator", "patient", "applicant"),
  "blacklist.list": anyOf("alliance-admin", "regulator", "hospital", "doctor"),
  "blacklist.lift": anyOf("alliance-admin"),

  // care process
  "visit.open": [{ role: "patient", relation: "owner" }],
  "visit.step": [{ role: "doctor", relation: "same-hospital" }],
  "visit.list": anyOf("regulator", "patient", "applicant", "doctor", "hospital"),
  "visit.read": [
    ...anyOf("regulator"),
    ...patientOrDelegate,
    { role: "doctor", relation: "same-hospital" },
    { role: "hospital", relation: "hospital" },
  ],

  // hospital scores, points, research
  "score.read": anyOf("alliance-admin", "regulator", "patient", "applicant", "doctor", "hospital"),
  "score.initialize": anyOf("alliance-admin"),
  "score.adjust": anyOf("alliance-admin"),
  "score.feedback": patientOrDelegate,
  "points.read": [...anyOf("alliance-admin", "regulator"), ...patientOrDelegate],
  "points.rate": [{ role: "hospital", relation: "grantee" }],
  "points.settle": [
    ...anyOf("alliance-admin"),
    { role: "patient", relation: "owner" },
    { role: "hospital", relation: "grantee" },
  ],
  // the entropy hint beside a rating: whoever may rate the record, and the alliance's overseers
  "points.value-hint": [...anyOf("alliance-admin", "regulator"), { role: "hospital", relation: "grantee" }],
  "recommend.read": patientOrDelegate,
  "research.read": anyOf("alliance-admin", "regulator", "hospital"),
  "research.manage": anyOf("alliance-admin"),
  // de-identified exports: a member hospital of the project, or one of its doctors ("hospital" is the
  // caller's hospital when it is a member of the project; the level-2 grant is checked per record)
  "research.export": [
    { role: "hospital", relation: "hospital" },
    { role: "doctor", relation: "same-hospital" },
  ],
  "research.export.read": [
    { role: "hospital", relation: "hospital" },
    { role: "doctor", relation: "same-hospital" },
  ],

  // encrypted statistics (Paillier): the alliance opens and closes rounds, approved hospitals submit
  "statistics.open": anyOf("alliance-admin"),
  "statistics.close": anyOf("alliance-admin"),
  "statistics.submit": anyOf("hospital"),
  "statistics.read": anyOf("alliance-admin", "regulator", "hospital"),

  // oversight
  "audit.read": anyOf("alliance-admin", "regulator"),
  "verify.report": anyOf("alliance-admin", "regulator"),
  "verify.run": anyOf("alliance-admin"),
} as const satisfies Record<string, readonly Rule[]>;

export type Action = keyof typeof POLICY;

/** What is known about the resource an action touches, in relation to the caller (addresses checksummed). */
export interface ResourceFacts {
  owner?: string | null;
  doctor?: string | null;
  hospital?: string | null;
  /** The caller acts for the owner under an active delegation. */
  delegate?: boolean;
  /** The level of the caller's active grant covering the resource (0 or absent: none). */
  grantLevel?: number;
}

function relationHolds(relation: Relation, session: Session, facts: ResourceFacts): boolean {
  switch (relation) {
    case "any":
      return true;
    case "owner":
      return !!facts.owner && facts.owner === session.address;
    case "attending-doctor":
      return !!facts.doctor && facts.doctor === session.address;
    case "hospital":
      return !!facts.hospital && facts.hospital === session.address;
    case "same-hospital":
      return !!facts.hospital && facts.hospital === session.member?.hospital;
    case "delegate":
      return facts.delegate === true;
    case "grantee":
      return (facts.grantLevel ?? 0) >= 1;
    default: {
      const unreachable: never = relation;
      return unreachable;
    }
  }
}

export function isAllowed(session: Session | null, action: Action, facts: ResourceFacts = {}): boolean {
  if (!session) return false;
  const rules: readonly Rule[] = POLICY[action];
  return rules.some(
    (rule) => session.roles.includes(rule.role) && relationHolds(rule.relation, session, facts),
  );
}
