import type { Role, Session } from "../auth/session.ts";

// The one access policy: for each action, which role may do it and in what relation to the resource.
// Checked only through `isAllowed`; tested cell by cell in server/test/policy.test.ts.

export type Relation =
  | "any" // the role alone suffices
  | "owner" // the resource's owner: the patient of a record, the member of a membership
  | "attending-doctor" // the doctor who wrote the record
  | "hospital"; // the hospital the resource belongs to

export const POLICY = {
  "member.list": [
    { role: "alliance-admin", relation: "any" },
    { role: "hospital", relation: "any" }, // narrowed to its own doctors by the service
    { role: "doctor", relation: "any" }, // narrowed to approved patients by the service
  ],
  "member.read": [
    { role: "alliance-admin", relation: "any" },
    { role: "applicant", relation: "owner" },
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "owner" },
    { role: "hospital", relation: "owner" },
    { role: "hospital", relation: "hospital" },
  ],
  "member.register-doctor": [{ role: "hospital", relation: "hospital" }],
  "member.decide": [{ role: "alliance-admin", relation: "any" }],
  "emr.draft.create": [{ role: "doctor", relation: "any" }],
  "emr.draft.read": [
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "attending-doctor" },
  ],
  "emr.draft.cosign": [{ role: "patient", relation: "owner" }],
  "emr.draft.sign": [{ role: "doctor", relation: "attending-doctor" }],
  "emr.record.list": [
    { role: "alliance-admin", relation: "any" },
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "attending-doctor" },
    { role: "hospital", relation: "hospital" },
  ],
  "emr.record.read": [
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "attending-doctor" },
  ],
  "emr.record.verify": [
    { role: "alliance-admin", relation: "any" },
    { role: "patient", relation: "owner" },
    { role: "doctor", relation: "attending-doctor" },
    { role: "hospital", relation: "hospital" },
  ],
} as const satisfies Record<string, readonly { role: Role; relation: Relation }[]>;

export type Action = keyof typeof POLICY;

/** What is known about the resource an action touches (addresses checksummed). */
export interface ResourceFacts {
  owner?: string | null;
  doctor?: string | null;
  hospital?: string | null;
}

function relationHolds(relation: Relation, address: string, facts: ResourceFacts): boolean {
  switch (relation) {
    case "any":
      return true;
    case "owner":
      return facts.owner === address;
    case "attending-doctor":
      return facts.doctor === address;
    case "hospital":
      return facts.hospital === address;
    default: {
      const unreachable: never = relation;
      return unreachable;
    }
  }
}

export function isAllowed(session: Session | null, action: Action, facts: ResourceFacts = {}): boolean {
  if (!session) return false;
  return POLICY[action].some(
    (rule) => session.roles.includes(rule.role) && relationHolds(rule.relation, session.address, facts),
  );
}
