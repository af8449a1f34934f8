import { describe, expect, it } from "vitest";
import { isAllowed, POLICY, type Action, type ResourceFacts } from "../src/access/policy.ts";
import type { Role, Session } from "../src/auth/session.ts";

// Every cell of the access policy, written out by hand so that a change to the policy must change
// this table too. Each cell lists, for the caller standing in four relations to the resource —
// o = owner (the patient / the member), d = attending doctor, h = the resource's hospital, x = none —
// whether the action is allowed (letter) or denied (-).

const ROLES: Role[] = ["alliance-admin", "applicant", "patient", "doctor", "hospital"];
const TABLE = `
action                 | alliance-admin | applicant | patient | doctor | hospital
member.list            | odhx           | ----      | ----    | odhx   | odhx
member.read            | odhx           | o---      | o---    | o---   | o-h-
member.register-doctor | ----           | ----      | ----    | ----   | --h-
member.decide          | odhx           | ----      | ----    | ----   | ----
emr.draft.create       | ----           | ----      | ----    | odhx   | ----
emr.draft.read         | ----           | ----      | o---    | -d--   | ----
emr.draft.cosign       | ----           | ----      | o---    | ----   | ----
emr.draft.sign         | ----           | ----      | ----    | -d--   | ----
emr.record.list        | odhx           | ----      | o---    | -d--   | --h-
emr.record.read        | ----           | ----      | o---    | -d--   | ----
emr.record.verify      | odhx           | ----      | o---    | -d--   | --h-
`;

const CALLER = "0x1111111111111111111111111111111111111111";
const OTHER = "0x2222222222222222222222222222222222222222";
const SITUATIONS: Record<string, ResourceFacts> = {
  o: { owner: CALLER, doctor: OTHER, hospital: OTHER },
  d: { owner: OTHER, doctor: CALLER, hospital: OTHER },
  h: { owner: OTHER, doctor: OTHER, hospital: CALLER },
  x: { owner: OTHER, doctor: OTHER, hospital: OTHER },
};

const rows = TABLE.trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("|").map((c) => c.trim()));

describe("access policy", () => {
  it("the table covers every action", () => {
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(POLICY).sort());
  });

  for (const [action, ...cells] of rows) {
    ROLES.forEach((role, i) => {
      const cell = cells[i]!;
      Object.entries(SITUATIONS).forEach(([key, facts], j) => {
        const expected = cell[j] !== "-";
        it(`${action} by ${role} as ${key}: ${expected ? "allowed" : "denied"}`, () => {
          const session: Session = { address: CALLER, roles: [role], member: null };
          expect(isAllowed(session, action as Action, facts)).toBe(expected);
        });
      });
    });
  }

  it("denies everything without a session", () => {
    for (const action of Object.keys(POLICY) as Action[]) expect(isAllowed(null, action, SITUATIONS.o)).toBe(false);
  });
});
