/**
 * What a doctor writes in an EMR (title, chief complaint, diagnosis, notes), shared by a new draft
 * and a correction: the checks before sending, and the FHIR bundle it becomes.
 */
import { emrBundle, type EmrBundleInput } from "@/lib/sdk";
import type { FhirBundle } from "@/api/types";
import { i18n } from "@/locales";

export interface EmrFieldValues {
  title: string;
  chiefComplaint: string;
  diagnosis: string;
  notes: string;
}

/** Puts a message on each required field left empty. */
export function checkEmrFields(f: EmrFieldValues, errors: Record<string, string>): void {
  const t = i18n.global.t;
  if (!f.title.trim()) errors.title = t("draft.titleRequired");
  if (!f.chiefComplaint.trim()) errors.chiefComplaint = t("draft.complaintRequired");
  if (!f.diagnosis.trim()) errors.diagnosis = t("draft.diagnosisRequired");
}

/** The FHIR document of what was written, by whom, for whom, written at `createdAt` (now). */
export function emrBundleOf(
  f: EmrFieldValues,
  parties: Pick<EmrBundleInput, "patient" | "doctor" | "hospital">,
  createdAt = Date.now(),
): FhirBundle {
  return emrBundle({
    ...parties,
    title: f.title.trim(),
    chiefComplaint: f.chiefComplaint.trim(),
    diagnosis: f.diagnosis.trim(),
    ...(f.notes.trim() ? { notes: f.notes.trim() } : {}),
    createdAt,
  }) as FhirBundle;
}

/** A party of the bundle: its address, and its name when known. */
export function partyOf(address: string, name: string | null | undefined): EmrBundleInput["patient"] {
  return { address, ...(name ? { name } : {}) };
}
