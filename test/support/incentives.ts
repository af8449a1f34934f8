import { keccak256, toUtf8Bytes } from "ethers";
import type { ApiActor } from "../../scripts/lib/api-actor.ts";
import { giveFeedback, setHospitalLevel } from "../../scripts/lib/api-acts.ts";
import type { Alliance } from "./alliance.ts";
import { visitOnChain } from "./chain-acts.ts";
import type { Stack } from "./stack.ts";

// What the tests of scores and recommendations share: more approved members, hospitals with a level
// and an initialized score, and finished visits their patients rated.

/** A doctor of `hospital`, approved; `department` is their profile's department text. */
export async function admitDoctor(
  al: Alliance,
  hospital: ApiActor,
  name: string,
  department = "心内科",
): Promise<ApiActor> {
  const d = al.newActor();
  await d.signIn();
  await d.apply("doctor", { name, department }, hospital.address);
  await hospital.registerDoctor(d.address);
  await al.admin.decide(d.address, "approve");
  return d;
}

export async function admitPatient(al: Alliance, name: string): Promise<ApiActor> {
  const p = al.newActor();
  await p.signIn();
  await p.apply("patient", { name });
  await al.admin.decide(p.address, "approve");
  return p;
}

/** Sets the hospital's level (1–3) and initializes its score from it (500 + 100·level). */
export async function initializeScore(al: Alliance, hospital: ApiActor, level: 1 | 2 | 3): Promise<void> {
  await setHospitalLevel(al.admin, hospital.address, level);
  await al.admin.request("POST", `/hospitals/${hospital.address}/score/initialization`, {});
}

/** A finished visit of `patient` at `hospital`, every step (consultation included) by `doctor`, then the
 *  patient's rating of it; answers the feedback's answer (the hospital's score and the event). */
export async function rateVisit<T = Record<string, unknown>>(
  stack: Stack,
  patient: ApiActor,
  hospital: ApiActor,
  doctor: ApiActor,
  rating: number,
  comment?: string,
): Promise<T> {
  const visitId = await visitOnChain(stack, {
    patient: patient.wallet,
    hospital: hospital.address,
    doctor: doctor.wallet,
    steps: [1, 2, 3, 5],
    contentHashOf: (step, id) => keccak256(toUtf8Bytes(`step ${step} of ${id}`)),
  });
  return (await giveFeedback(patient, visitId, rating, comment)) as T;
}
