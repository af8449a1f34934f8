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
  const draft = await doctorA!.draftRecord(patientA!.address, {
    title: "门诊记录",
    chiefComplaint: "胸闷",
    diagnosis: "心绞痛",
    hospital: hospitalA!.address,
  });
  await patientA!.signDraft(String(draft.id), "patient");
  const submitted = await doctorA!.signDraft(String(draft.id), "doctor");
  expect(submitted.status).toBe("on-chain");
  return {
    admin,
    hospitalA: hospitalA!,
    hospitalB: hospitalB!,
    doctorA: doctorA!,
    doctorB: doctorB!,
    patientA: patientA!,
    patientB: patientB!,
    stranger: stranger!,
    recordId: String(submitted.recordId),
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
