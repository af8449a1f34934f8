// The numeric codes AllianceRegistry uses, and their names in the API.

export const ROLE_CODES = { patient: 1, doctor: 2, hospital: 3 } as const;
export type MemberRole = keyof typeof ROLE_CODES;
export const ROLE_NAMES: Record<number, MemberRole> = { 1: "patient", 2: "doctor", 3: "hospital" };

export const STATUS_PENDING = 1;
export const STATUS_APPROVED = 2;
export const STATUS_NAMES: Record<number, string> = {
  0: "none",
  1: "pending",
  2: "approved",
  3: "rejected",
  4: "revoked",
};
export const STATUS_CODES: Record<string, number> = { pending: 1, approved: 2, rejected: 3, revoked: 4 };

export const DECISION_CODES = { approve: 1, reject: 2, revoke: 3 } as const;
export type DecisionName = keyof typeof DECISION_CODES;
/** Status a member ends in after each decision. */
export const STATUS_AFTER_DECISION: Record<number, number> = { 1: 2, 2: 3, 3: 4 };
