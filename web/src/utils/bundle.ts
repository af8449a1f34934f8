/**
 * Reads the visit note out of an EMR FHIR R4 document Bundle (as `makeEmrBundle` writes it) for
 * display. Tolerant: missing parts come back empty rather than throwing.
 */
import type { FhirBundle } from "@/api/types";

export interface EmrView {
  title: string;
  date: string;
  chiefComplaint: string;
  diagnosis: string;
  diagnosisCode: string;
  notes: string;
  patient: { name: string; address: string };
  doctor: { name: string; address: string };
  hospital: { name: string; address: string };
}

type Json = Record<string, unknown>;

const LOINC_COMPLAINT = "10154-3";
const LOINC_DIAGNOSIS = "29548-5";
const LOINC_NOTES = "48767-8";

function obj(v: unknown): Json | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Narrative XHTML → plain text. */
function narrativeText(div: unknown): string {
  const html = str(div);
  if (!html) return "";
  const doc = new DOMParser().parseFromString(html, "text/html");
  return (doc.body.textContent ?? "").trim();
}

function codes(concept: unknown): string[] {
  return arr(obj(concept)?.coding).map((c) => str(obj(c)?.code));
}

function addressOf(resource: Json | undefined): string {
  const id = arr(resource?.identifier)
    .map(obj)
    .find((i) => str(i?.system) === "urn:yyl:address");
  return str(id?.value);
}

function nameOf(resource: Json | undefined): string {
  if (!resource) return "";
  if (typeof resource.name === "string") return resource.name;
  return str(obj(arr(resource.name)[0])?.text);
}

export function readEmrBundle(bundle: FhirBundle | null | undefined): EmrView {
  const resources = arr(bundle?.entry)
    .map((e) => obj(obj(e)?.resource))
    .filter((r): r is Json => !!r);
  const byType = (t: string) => resources.find((r) => r.resourceType === t);
  const composition = byType("Composition");
  const sections = arr(composition?.section)
    .map(obj)
    .filter((s): s is Json => !!s);
  const section = (code: string) => sections.find((s) => codes(s.code).includes(code));

  const observation =
    resources.find((r) => r.resourceType === "Observation" && codes(r.code).includes(LOINC_COMPLAINT)) ??
    byType("Observation");
  const condition = byType("Condition");
  const conditionCode = obj(condition?.code);
  const firstCoding = obj(arr(conditionCode?.coding)[0]);

  const patient = byType("Patient");
  const doctor = byType("Practitioner");
  const hospital = byType("Organization");

  return {
    title: str(composition?.title),
    date: str(composition?.date) || str(bundle?.timestamp),
    chiefComplaint: str(observation?.valueString) || narrativeText(obj(section(LOINC_COMPLAINT)?.text)?.div),
    diagnosis: str(conditionCode?.text) || narrativeText(obj(section(LOINC_DIAGNOSIS)?.text)?.div),
    diagnosisCode: firstCoding
      ? [str(firstCoding.system).split("/").pop(), str(firstCoding.code)].filter(Boolean).join(" ")
      : "",
    notes: narrativeText(obj(section(LOINC_NOTES)?.text)?.div),
    patient: {
      name: nameOf(patient) || str(obj(composition?.subject)?.display),
      address: addressOf(patient),
    },
    doctor: {
      name: nameOf(doctor) || str(obj(arr(composition?.author)[0])?.display),
      address: addressOf(doctor),
    },
    hospital: {
      name: nameOf(hospital) || str(obj(composition?.custodian)?.display),
      address: addressOf(hospital),
    },
  };
}
