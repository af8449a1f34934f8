/**
 * Minimal FHIR R4 types and the EMR document Bundle of 医元疗 (one visit note: chief complaint,
 * diagnosis, notes). Only what the portal and server need; not a full FHIR model.
 */
import { getAddress, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "./record-id.ts";

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Reference {
  reference?: string;
  display?: string;
}
export interface Identifier {
  system?: string;
  value?: string;
}
export interface Narrative {
  status: "generated" | "extensions" | "additional" | "empty";
  div: string;
}
export interface Resource {
  resourceType: string;
  id?: string;
  [extra: string]: unknown;
}
export interface Patient extends Resource {
  resourceType: "Patient";
  identifier?: Identifier[];
  name?: Array<{ text?: string }>;
}
export interface Practitioner extends Resource {
  resourceType: "Practitioner";
  identifier?: Identifier[];
  name?: Array<{ text?: string }>;
}
export interface Organization extends Resource {
  resourceType: "Organization";
  identifier?: Identifier[];
  name?: string;
}
export interface CompositionSection {
  title?: string;
  code?: CodeableConcept;
  text?: Narrative;
  entry?: Reference[];
}
export interface Composition extends Resource {
  resourceType: "Composition";
  status: "preliminary" | "final" | "amended" | "entered-in-error";
  type: CodeableConcept;
  subject?: Reference;
  date: string;
  author: Reference[];
  title: string;
  custodian?: Reference;
  section?: CompositionSection[];
}
export interface Observation extends Resource {
  resourceType: "Observation";
  status: "registered" | "preliminary" | "final" | "amended";
  code: CodeableConcept;
  subject?: Reference;
  effectiveDateTime?: string;
  performer?: Reference[];
  valueString?: string;
}
export interface Condition extends Resource {
  resourceType: "Condition";
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  subject: Reference;
  recordedDate?: string;
  recorder?: Reference;
  note?: Array<{ text: string }>;
}
export interface BundleEntry<R extends Resource = Resource> {
  fullUrl?: string;
  resource?: R;
}
export interface Bundle extends Resource {
  resourceType: "Bundle";
  identifier?: Identifier;
  type: "document" | "collection" | "transaction" | "batch" | "searchset" | "message" | "history";
  timestamp?: string;
  entry?: BundleEntry[];
}

/** Identifier system for chain addresses. */
export const ADDRESS_SYSTEM = "urn:yyl:address";
/** Identifier system for EMR document ids. */
export const EMR_SYSTEM = "urn:yyl:emr";
const LOINC = "http://loinc.org";

export interface PartyInput {
  /** Chain address of the party. */
  address: string;
  name?: string;
}

export interface EmrBundleInput {
  patient: PartyInput;
  doctor: PartyInput;
  hospital: PartyInput;
  title: string;
  chiefComplaint: string;
  /** Free text, or coded (e.g. ICD-10 `{system: "http://hl7.org/fhir/sid/icd-10", code, display}`). */
  diagnosis: string | { text?: string; system?: string; code?: string; display?: string };
  notes?: string;
  /** ms since the epoch (number/bigint), ISO text or a Date. */
  createdAt: number | bigint | string | Date;
  /** Document id; derived from the inputs when absent. */
  id?: string;
}

function iso(t: EmrBundleInput["createdAt"]): string {
  if (t instanceof Date) return t.toISOString();
  if (typeof t === "string") return new Date(t).toISOString();
  return new Date(Number(t)).toISOString();
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function narrative(text: string): Narrative {
  return { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(text)}</div>` };
}

/** A UUID-shaped id derived from a seed (deterministic bundles). */
function uuidFrom(seed: string): string {
  const h = keccak256(toUtf8Bytes(seed)).slice(2, 34).split("");
  h[12] = "5"; // version nibble
  h[16] = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16); // variant
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** A FHIR R4 document Bundle (Composition first) for one EMR entry. Deterministic for the same input. */
export function makeEmrBundle(input: EmrBundleInput): Bundle {
  const date = iso(input.createdAt);
  const seed = canonicalJson({ ...input, createdAt: date });
  const id = input.id ?? uuidFrom(`bundle:${seed}`);
  const u = (kind: string) => uuidFrom(`${kind}:${seed}`);
  const ids = {
    composition: u("composition"),
    patient: u("patient"),
    doctor: u("doctor"),
    hospital: u("hospital"),
    obs: u("obs"),
    cond: u("cond"),
  };
  const ref = (k: keyof typeof ids, display?: string): Reference =>
    display ? { reference: `urn:uuid:${ids[k]}`, display } : { reference: `urn:uuid:${ids[k]}` };
  const addr = (a: string) => [{ system: ADDRESS_SYSTEM, value: getAddress(a).toLowerCase() }];
  const diag = typeof input.diagnosis === "string" ? { text: input.diagnosis } : input.diagnosis;
  const diagText = diag.text ?? diag.display ?? diag.code ?? "";
  const diagCode: CodeableConcept = { text: diagText };
  if (diag.code)
    diagCode.coding = [{ system: diag.system, code: diag.code, display: diag.display ?? diag.text }];

  const patient: Patient = {
    resourceType: "Patient",
    id: ids.patient,
    identifier: addr(input.patient.address),
  };
  if (input.patient.name) patient.name = [{ text: input.patient.name }];
  const doctor: Practitioner = {
    resourceType: "Practitioner",
    id: ids.doctor,
    identifier: addr(input.doctor.address),
  };
  if (input.doctor.name) doctor.name = [{ text: input.doctor.name }];
  const hospital: Organization = {
    resourceType: "Organization",
    id: ids.hospital,
    identifier: addr(input.hospital.address),
  };
  if (input.hospital.name) hospital.name = input.hospital.name;

  const observation: Observation = {
    resourceType: "Observation",
    id: ids.obs,
    status: "final",
    code: {
      coding: [{ system: LOINC, code: "10154-3", display: "Chief complaint Narrative - Reported" }],
      text: "主诉 Chief complaint",
    },
    subject: ref("patient"),
    effectiveDateTime: date,
    performer: [ref("doctor")],
    valueString: input.chiefComplaint,
  };
  const condition: Condition = {
    resourceType: "Condition",
    id: ids.cond,
    clinicalStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
    },
    verificationStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }],
    },
    category: [
      {
        coding: [
          { system: "http://terminology.hl7.org/CodeSystem/condition-category", code: "encounter-diagnosis" },
        ],
      },
    ],
    code: diagCode,
    subject: ref("patient"),
    recordedDate: date,
    recorder: ref("doctor"),
  };
  const sections: CompositionSection[] = [
    {
      title: "主诉 Chief complaint",
      code: { coding: [{ system: LOINC, code: "10154-3" }] },
      text: narrative(input.chiefComplaint),
      entry: [ref("obs")],
    },
    {
      title: "诊断 Diagnosis",
      code: { coding: [{ system: LOINC, code: "29548-5" }] },
      text: narrative(diagText),
      entry: [ref("cond")],
    },
  ];
  if (input.notes)
    sections.push({
      title: "备注 Notes",
      code: { coding: [{ system: LOINC, code: "48767-8" }] },
      text: narrative(input.notes),
    });
  const composition: Composition = {
    resourceType: "Composition",
    id: ids.composition,
    status: "final",
    type: { coding: [{ system: LOINC, code: "11488-4", display: "Consult note" }], text: "门诊病历" },
    subject: ref("patient", input.patient.name),
    date,
    author: [ref("doctor", input.doctor.name)],
    title: input.title,
    custodian: ref("hospital", input.hospital.name),
    section: sections,
  };
  const entry = (k: keyof typeof ids, resource: Resource): BundleEntry => ({
    fullUrl: `urn:uuid:${ids[k]}`,
    resource,
  });
  return {
    resourceType: "Bundle",
    id,
    identifier: { system: EMR_SYSTEM, value: id },
    type: "document",
    timestamp: date,
    entry: [
      entry("composition", composition),
      entry("patient", patient),
      entry("doctor", doctor),
      entry("hospital", hospital),
      entry("obs", observation),
      entry("cond", condition),
    ],
  };
}

/** Problems that make `x` unusable as an EMR document Bundle (empty list = fine). */
export function validateEmrBundle(x: unknown): string[] {
  const problems: string[] = [];
  if (typeof x !== "object" || x === null || Array.isArray(x)) return ["not a JSON object"];
  const b = x as Record<string, unknown>;
  if (b.resourceType !== "Bundle")
    problems.push(`resourceType must be "Bundle", got ${JSON.stringify(b.resourceType)}`);
  if (b.type !== "document") problems.push(`type must be "document", got ${JSON.stringify(b.type)}`);
  if (b.timestamp !== undefined && (typeof b.timestamp !== "string" || Number.isNaN(Date.parse(b.timestamp))))
    problems.push("timestamp must be an ISO date-time");
  if (!Array.isArray(b.entry) || b.entry.length === 0) {
    problems.push("entry must be a non-empty array");
    return problems;
  }
  b.entry.forEach((e: unknown, i: number) => {
    const r = typeof e === "object" && e !== null ? (e as Record<string, unknown>).resource : undefined;
    if (typeof r !== "object" || r === null) problems.push(`entry[${i}].resource is missing`);
    else if (
      typeof (r as Record<string, unknown>).resourceType !== "string" ||
      (r as Record<string, unknown>).resourceType === ""
    ) {
      problems.push(`entry[${i}].resource.resourceType is missing`);
    }
  });
  const first = (b.entry[0] as { resource?: Record<string, unknown> } | undefined)?.resource;
  if (first && typeof first.resourceType === "string" && first.resourceType !== "Composition") {
    problems.push(`entry[0] must be a Composition, got ${first.resourceType}`);
  } else if (first && first.resourceType === "Composition") {
    if (typeof first.title !== "string" || first.title === "") problems.push("Composition.title is missing");
    if (!first.subject) problems.push("Composition.subject is missing");
  }
  return problems;
}
