import { ACCESS_REASON } from "@yyl/sdk";
import type { AccessRequest } from "../generated/prisma/client.ts";

// One access request as ConsentManager decided it (the access_requests mirror), as every API view of
// it shows it; each view adds the names it knows.

/** `AccessRequested.reason` codes by name: recordGrant → record-grant, noGrant → no-grant, … */
export const REASON_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ACCESS_REASON).map(([name, code]) => [
    code,
    name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()),
  ]),
);

/** A reason's name; a code the contract added later still gets one. */
export const reasonNameOf = (code: number): string => REASON_NAMES[code] ?? `reason-${code}`;

export function requestFields(r: AccessRequest) {
  return {
    recordId: r.recordId,
    requester: r.requester,
    patient: r.patient,
    granted: r.granted,
    reason: r.reason,
    reasonName: reasonNameOf(r.reason),
    level: r.level,
    purposeHash: r.purposeHash,
    txHash: r.txHash,
    blockNumber: r.blockNumber,
    at: Number(r.at),
  };
}
