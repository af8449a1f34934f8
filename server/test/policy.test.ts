import { describe, expect, it } from "vitest";
import { isAllowed, POLICY, type Action, type ResourceFacts } from "../src/access/policy.ts";
import type { Role, Session } from "../src/auth/session.ts";

// Every cell of the access policy, written out so that a change to the policy must change this table
// too. Each cell lists, for the caller standing in one of seven relations to the resource, whether the
// action is allowed (the letter) or denied (-):
//   o owner (the patient / the member)   d attending doctor (wrote the record)
//   h the resource's hospital            s a doctor of the resource's hospital
//   a a guardian of the owner            g holder of an active grant covering the resource
//   x none of these

const ROLES: Role[] = ["alliance-admin", "regulator", "applicant", "patient", "doctor", "hospital"];
const TABLE = `
action                 | alliance-admin | regulator | applicant | patient | doctor  | hospital
member.list            | odhsagx        | odhsagx   | -------   | ------- | odhsagx | odhsagx
member.read            | odhsagx        | odhsagx   | o------   | o------ | o------ | o-h----
member.register-doctor | -------        | -------   | -------   | ------- | ------- | --h----
member.certify-doctor  | -------        | -------   | -------   | ------- | ------- | --h----
member.decide          | odhsagx        | -------   | -------   | ------- | ------- | -------
member.set-level       | odhsagx        | -------   | -------   | ------- | ------- | -------
regulator.manage       | odhsagx        | -------   | -------   | ------- | ------- | -------
regulator.list         | odhsagx        | odhsagx   | -------   | ------- | ------- | -------
emr.draft.create       | -------        | -------   | -------   | ------- | odhsagx | -------
emr.draft.read         | -------        | -------   | ----a--   | o---a-- | -d----- | -------
emr.draft.cosign       | -------        | -------   | ----a--   | o---a-- | ------- | -------
emr.draft.sign         | -------        | -------   | -------   | ------- | -d----- | -------
emr.record.list        | odhsagx        | odhsagx   | odhsagx   | odhsagx | odhsagx | odhsagx
emr.record.read        | -------        | -----g-   | ----a--   | o---a-- | -d---g- | -----g-
emr.record.history     | -------        | -----g-   | ----a--   | o---a-- | -d---g- | -----g-
emr.record.update      | -------        | -------   | -------   | ------- | -d-s--- | -------
emr.record.delete      | -------        | -------   | ----a--   | o---a-- | ------- | -------
emr.record.classify    | -------        | -------   | -------   | ------- | ------- | --h----
emr.record.verify      | odhsagx        | odhsagx   | ----a--   | o---a-- | -d---g- | --h--g-
emr.emergency.open     | -------        | -------   | -------   | ------- | odhsagx | -------
emr.emergency.review   | odhsagx        | -------   | -------   | ------- | ------- | -------
emr.emergency.list     | odhsagx        | odhsagx   | odhsagx   | odhsagx | odhsagx | odhsagx
consent.grant          | -------        | -------   | ----a--   | o---a-- | ------- | -------
consent.revoke         | -------        | -------   | ----a--   | o---a-- | ------- | -------
consent.list           | -------        | odhsagx   | odhsagx   | odhsagx | odhsagx | odhsagx
consent.read           | -------        | odhsagx   | ----a--   | o---a-- | -----g- | -----g-
consent.access-log     | odhsagx        | odhsagx   | ----a--   | o---a-- | ------- | -------
delegation.grant       | -------        | -------   | -------   | o------ | ------- | -------
delegation.revoke      | -------        | -------   | -------   | o------ | ------- | -------
delegation.list        | -------        | -------   | odhsagx   | odhsagx | odhsagx | -------
complaint.file         | -------        | -------   | ----a--   | o---a-- | ------- | -------
complaint.list         | odhsagx        | odhsagx   | odhsagx   | odhsagx | ------- | -------
blacklist.list         | odhsagx        | odhsagx   | -------   | ------- | odhsagx | odhsagx
blacklist.lift         | odhsagx        | -------   | -------   | ------- | ------- | -------
visit.open             | -------        | -------   | -------   | o------ | ------- | -------
visit.step             | -------        | -------   | -------   | ------- | ---s--- | -------
visit.list             | -------        | odhsagx   | odhsagx   | odhsagx | odhsagx | odhsagx
visit.read             | -------        | odhsagx   | ----a--   | o---a-- | ---s--- | --h----
score.read             | odhsagx        | odhsagx   | odhsagx   | odhsagx | odhsagx | odhsagx
score.initialize       | odhsagx        | -------   | -------   | ------- | ------- | -------
score.adjust           | odhsagx        | -------   | -------   | ------- | ------- | -------
score.feedback         | -------        | -------   | ----a--   | o---a-- | ------- | -------
points.read            | odhsagx        | odhsagx   | ----a--   | o---a-- | ------- | -------
points.rate            | -------        | -------   | -------   | ------- | ------- | -----g-
points.settle          | odhsagx        | -------   | -------   | o------ | ------- | -----g-
points.value-hint      | odhsagx        | odhsagx   | -------   | ------- | ------- | -----g-
recommend.read         | -------        | -------   | ----a--   | o---a-- | ------- | -------
research.read          | odhsagx        | odhsagx   | -------   | ------- | ------- | odhsagx
research.manage        | odhsagx        | -------   | -------   | ------- | ------- | -------
research.export        | -------        | -------   | -------   | ------- | ---s--- | --h----
research.export.read   | -------        | -------   | -------   | ------- | ---s--- | --h----
statistics.open        | odhsagx        | -------   | -------   | ------- | ------- | -------
statistics.close       | odhsagx        | -------   | -------   | ------- | ------- | -------
statistics.submit      | -------        | -------   | -------   | ------- | ------- | odhsagx
statistics.read        | odhsagx        | odhsagx   | -------   | ------- | ------- | odhsagx
audit.read             | odhsagx        | odhsagx   | -------   | ------- | ------- | -------
verify.report          | odhsagx        | odhsagx   | -------   | ------- | ------- | -------
verify.run             | odhsagx        | -------   | -------   | ------- | ------- | -------
`;

const CALLER = "0x1111111111111111111111111111111111111111";
const OTHER = "0x2222222222222222222222222222222222222222";
const CALLER_HOSPITAL = "0x3333333333333333333333333333333333333333";
const SITUATIONS: Record<string, ResourceFacts> = {
  o: { owner: CALLER, doctor: OTHER, hospital: OTHER },
  d: { owner: OTHER, doctor: CALLER, hospital: OTHER },
  h: { owner: OTHER, doctor: OTHER, hospital: CALLER },
  s: { owner: OTHER, doctor: OTHER, hospital: CALLER_HOSPITAL },
  a: { owner: OTHER, doctor: OTHER, hospital: OTHER, delegate: true },
  g: { owner: OTHER, doctor: OTHER, hospital: OTHER, grantLevel: 1 },
  x: { owner: OTHER, doctor: OTHER, hospital: OTHER },
};

const rows = TABLE.trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("|").map((c) => c.trim()));

/** A caller with one role; as a doctor their hospital is CALLER_HOSPITAL. */
const sessionAs = (role: Role): Session =>
  ({ address: CALLER, roles: [role], member: { hospital: CALLER_HOSPITAL } }) as unknown as Session;

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
          expect(isAllowed(sessionAs(role), action as Action, facts)).toBe(expected);
        });
      });
    });
  }

  it("denies everything without a session", () => {
    for (const action of Object.keys(POLICY) as Action[]) expect(isAllowed(null, action, SITUATIONS.o)).toBe(false);
  });

  it("a relation needs the fact: no owner, doctor or hospital on record matches nobody", () => {
    const admin = { address: CALLER, roles: ["patient", "doctor", "hospital"], member: { hospital: null } } as unknown as Session;
    for (const action of ["emr.record.read", "emr.record.update", "visit.read"] as const) expect(isAllowed(admin, action, {})).toBe(false);
  });
});
