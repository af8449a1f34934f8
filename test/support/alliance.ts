import { Wallet } from "ethers";
import { expect } from "vitest";
import { ApiActor, ApiCallError } from "../../scripts/lib/api-actor.ts";
import type { Stack } from "./stack.ts";

// A small alliance built through the REST API only: the admin, two approved hospitals with one
// approved doctor each, two approved patients, and one dual-signed record on chain written by
// doctor A for patient A. Used by the API tests of every feature.

export interface Alliance {
  admin: ApiActor;
  hospitalA: ApiActor;
  hospitalB: ApiActor;
  doctorA: ApiActor;
  doctorB: ApiActor;
  patientA: ApiActor;
  patientB: ApiActor;
  /** Signed in, not a member of anything. */
  stranger: ApiActor;
  /** Record id of the record doctor A wrote for patient A. */
  recordId: string;
  newActor(): ApiActor;
}

export async function buildAlliance(stack: Stack): Promise<Alliance> {
  const newActor = () => new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
  const admin = new ApiActor(stack.baseUrl, stack.admin);
  const [hospitalA, hospitalB, doctorA, doctorB, patientA, patientB, stranger] = Array.from({ length: 7 }, newActor) as ApiActor[];
  for (const a of [admin, hospitalA!, hospitalB!, doctorA!, doctorB!, patientA!, patientB!, stranger!]) await a.signIn();

  for (const [h, name] of [[hospitalA!, "甲医院"], [hospitalB!, "乙医院"]] as const) {
    await h.apply("hospital", { name });
    await admin.decide(h.address, "approve");
  }
  for (const [d, h, name] of [[doctorA!, hospitalA!, "甲医生"], [doctorB!, hospitalB!, "乙医生"]] as const) {
    await d.apply("doctor", { name, department: "心内科" }, h.address);
    await h.registerDoctor(d.address);
    await admin.decide(d.address, "approve");
  }
  for (const [p, name] of [[patientA!, "张三"], [patientB!, "李四"]] as const) {
    await p.apply("patient", { name });
    await admin.decide(p.address, "approve");
  }
  const recordId = await writeRecord(doctorA!, patientA!, hospitalA!, {
    title: "门诊记录",
    chiefComplaint: "胸闷",
    diagnosis: "心绞痛",
  });
  return {
    admin,
    hospitalA: hospitalA!,
    hospitalB: hospitalB!,
    doctorA: doctorA!,
    doctorB: doctorB!,
    patientA: patientA!,
    patientB: patientB!,
    stranger: stranger!,
    recordId,
    newActor,
  };
}

/** Awaits a call that must fail with `status` (and `code`), and returns the error. */
export async function expectApiError(p: Promise<unknown>, status: number, code?: string): Promise<ApiCallError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiCallError);
  const err = e as ApiCallError;
  expect(err.status, JSON.stringify(err.body)).toBe(status);
  if (code) expect(err.code).toBe(code);
  return err;
}

/** The fields a 400 names, in its order. */
export const detailPaths = (e: ApiCallError): string[] => e.body.error!.details!.map((d) => d.path);

/** The fields a 400 names, each once, sorted. */
export const fieldsOf = (e: ApiCallError): string[] => [...new Set(detailPaths(e))].sort();

/** A 400 naming `path` among its details. */
export async function expectBadField(p: Promise<unknown>, path: string): Promise<void> {
  expect(detailPaths(await expectApiError(p, 400))).toContain(path);
}

/** A record written through the API as the portal does: the doctor drafts it at `hospital`, the
 *  patient signs, then the doctor signs and the draft goes on chain. Answers the record id. */
export async function writeRecord(
  doctor: ApiActor,
  patient: ApiActor,
  hospital: ApiActor,
  fields: { title: string; chiefComplaint: string; diagnosis: string },
): Promise<string> {
  const draft = await doctor.draftRecord(patient.address, { ...fields, hospital: hospital.address });
  await patient.signDraft(String(draft.id), "patient");
  const submitted = await doctor.signDraft(String(draft.id), "doctor");
  expect(submitted.status).toBe("on-chain");
  return String(submitted.recordId);
}

/** A regulator admitted by the alliance admin, signed in. */
export async function admitRegulator(a: Alliance): Promise<ApiActor> {
  const regulator = a.newActor();
  await regulator.signIn();
  await a.admin.request("POST", "/regulators", {
    address: regulator.address,
    name: "监管员",
    organization: "市卫健委",
    kind: "health-authority",
    jurisdiction: "city",
  });
  return regulator;
}
