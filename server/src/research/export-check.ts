import { deidentifyBundle, newExportSalt, PSEUDONYM_SYSTEM, type Bundle, type DeidReport } from "@yyl/sdk";
import type { ErrorDetail } from "../http/errors.ts";

// The server cannot see record content, so it cannot de-identify; it can check that what an exporter
// uploads has nothing left to de-identify. It runs the sdk's deidentifyBundle again (with a throwaway
// salt) and looks at what that second pass would change: on a de-identified bundle it only renames the
// pseudonyms and uuids the first pass made and re-states year-only dates. Anything else it would remove
// or change (a name, phone, ID number, address, exact date, a raw identifier) is an identifier left.

const UUID = /^(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The value at a report path such as `Bundle.entry[0].resource.identifier[1]`. */
function valueAt(bundle: unknown, path: string): unknown {
  const steps = path.replace(/^Bundle\.?/, "").match(/[^.[\]]+/g) ?? [];
  let at: unknown = bundle;
  for (const step of steps) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** Already a pseudonym or a pseudonymous uuid: the first pass's output, which the second pass renames. */
function isPseudonymous(value: unknown): boolean {
  if (typeof value === "string") return UUID.test(value);
  if (Array.isArray(value)) return value.every(isPseudonymous);
  if (value && typeof value === "object") return (value as { system?: unknown }).system === PSEUDONYM_SYSTEM;
  return false;
}

/** The identifiers left in `bundle`, as `{path, message}` under `field`; empty when it is de-identified. */
export function identifiersLeft(bundle: Record<string, unknown>, field: string): ErrorDetail[] {
  let report: DeidReport;
  try {
    report = deidentifyBundle(bundle as unknown as Bundle, { salt: newExportSalt() }).report;
  } catch (e) {
    return [{ path: field, message: e instanceof Error ? e.message : String(e) }];
  }
  const left: ErrorDetail[] = report.removed.map((r) => ({ path: field, message: `${r.kind} left at ${r.path}` }));
  for (const g of report.generalized) {
    const value = valueAt(bundle, g.path);
    const unchanged = typeof value === "string" && value === g.to;
    if (unchanged || (g.kind === "other-id" && isPseudonymous(value))) continue;
    left.push({ path: field, message: `${g.kind} left at ${g.path}` });
  }
  return left;
}
