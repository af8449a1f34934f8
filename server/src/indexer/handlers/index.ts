import type { ContractName } from "@yyl/deploy";
import { allianceEvents } from "./alliance.ts";
import { careEvents } from "./care.ts";
import { consentEvents } from "./consent.ts";
import type { Args, EventContext, EventModule, Tx } from "./decode.ts";
import { emrEvents } from "./emr.ts";
import { pointsEvents } from "./points.ts";

export type { EventContext } from "./decode.ts";

/** Writes one decoded event into the mirror; false when the event has no table beyond chain_events. */
export type Mirror = (tx: Tx, name: string, args: Args, at: EventContext) => Promise<boolean>;

function mirrorOf<E>(module: EventModule<E>): Mirror {
  return async (tx, name, args, at) => {
    const ev = module.decode(name, args);
    if (!ev) return false;
    await module.apply(tx, ev, at);
    return true;
  };
}

const [alliance, emr, consent, care, points] = [allianceEvents, emrEvents, consentEvents, careEvents, pointsEvents].map(
  (m) => mirrorOf(m as EventModule<unknown>),
) as [Mirror, Mirror, Mirror, Mirror, Mirror];

/** Which module mirrors each contract's events. */
export const MIRRORS: Record<ContractName, Mirror> = {
  AllianceRegistry: alliance,
  EmrRegistry: emr,
  PatientDelegation: consent,
  ConsentManager: consent,
  EmergencyAccess: consent,
  CareProcess: care,
  HospitalScore: care,
  ContributionPoints: points,
  ResearchAllocation: points,
};
