import { ADDRESS_SYSTEM, canonicalJson } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { z } from "zod";

// A patient's grant, one version of it, as a FHIR R4 Consent resource. Pure: the same facts always give
// the same resource, so its hash (consentHashOf) can be recomputed by anyone holding the facts.
//
// Status mapping (FHIR R4 Consent.status: draft | proposed | active | rejected | inactive | entered-in-error):
//   granted and not yet expired            → "active"
//   granted, expiry passed                  → "inactive"  (the consent ended by its own term)
//   revoked                                 → "inactive"  (withdrawn by the patient or their guardian)
// "draft" and "proposed" never occur: only grants already on chain are rendered. "rejected" means a
// consent that never took effect, and "entered-in-error" a mistaken entry; neither fits a signed grant.
// Which of the two ways a consent became inactive is told by the grant-state extension
// (active | expired | revoked).
//
// Consent.id is the grant id without its 0x prefix: a FHIR id is at most 64 characters of
// [A-Za-z0-9-.]. The 0x-prefixed grant id is the Consent's identifier.

// People and institutions are identified by address in the same system as in the record bundles.
export { ADDRESS_SYSTEM };
export const GRANT_SYSTEM = "urn:yiyuanliao:grant";
export const RECORD_SYSTEM = "urn:yiyuanliao:record";
export const CATEGORY_SYSTEM = "urn:yiyuanliao:record-category";
export const GRANT_STATE_URL = "urn:yiyuanliao:fhir:grant-state";
export const CHAIN_ANCHOR_URL = "urn:yiyuanliao:fhir:chain-anchor";

const CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
const LOINC = "http://loinc.org";
const ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
const CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";

export type GrantState = "active" | "expired" | "revoked";

/** Everything a Consent is rendered from: one version of a grant, as the chain recorded it. */
export interface ConsentFacts {
  grantId: string;
  version: number;
  /** What this version did: grant (or re-grant), or revoke. */
  action: "granted" | "revoked";
  patient: string;
  grantee: string;
  /** The record id (scopeKind 1) or keccak256("category:<name>") (scopeKind 2). */
  scope: string;
  scopeKind: 1 | 2;
  /** The category's name, when known (only its hash is on chain). */
  categoryName?: string | null;
  level: 1 | 2;
  /** ms, exclusive. */
  expiresAt: number;
  /** Who signed this version: the patient or their guardian. */
  signer: string;
  /** When the grant in force at this version was made (ms). */
  grantedAt: number;
  /** When this version was recorded on chain (ms). */
  versionAt: number;
  txHash: string;
  blockNumber: number;
}

const Coding = z.object({ system: z.string(), code: z.string(), display: z.string().optional() });
const CodeableConcept = z.object({ coding: z.array(Coding), text: z.string().optional() });
const Identifier = z.object({ system: z.string(), value: z.string() });
const Reference = z.object({
  type: z.string().optional(),
  identifier: Identifier,
  display: z.string().optional(),
});
const Period = z.object({ start: z.string(), end: z.string() });
const Extension = z.object({
  url: z.string(),
  valueCode: z.string().optional(),
  valueString: z.string().optional(),
  valueUnsignedInt: z.number().optional(),
  extension: z
    .array(
      z.object({
        url: z.string(),
        valueString: z.string().optional(),
        valueUnsignedInt: z.number().optional(),
      }),
    )
    .optional(),
});

export const ConsentSchema = z
  .object({
    resourceType: z.literal("Consent"),
    id: z.string(),
    meta: z.object({ versionId: z.string(), lastUpdated: z.string() }),
    extension: z.array(Extension),
    identifier: z.array(Identifier),
    status: z.enum(["active", "inactive"]),
    scope: CodeableConcept,
    category: z.array(CodeableConcept),
    patient: Reference,
    dateTime: z.string(),
    performer: z.array(Reference),
    policyRule: CodeableConcept,
    provision: z.object({
      type: z.literal("permit"),
      period: Period,
      actor: z.array(z.object({ role: CodeableConcept, reference: Reference })),
      action: z.array(CodeableConcept),
      class: z.array(Coding).optional(),
      data: z.array(z.object({ meaning: z.literal("instance"), reference: Reference })).optional(),
    }),
  })
  .meta({ id: "Consent", description: "FHIR R4 Consent: one version of a patient's grant" });
export type Consent = z.infer<typeof ConsentSchema>;

const iso = (ms: number) => new Date(ms).toISOString();
const addressRef = (address: string, type?: string) => ({
  ...(type ? { type } : {}),
  identifier: { system: ADDRESS_SYSTEM, value: address },
});

/** The state of a version at `at` (ms): revoked, expired (at ≥ expiresAt) or active. */
export function grantStateAt(f: Pick<ConsentFacts, "action" | "expiresAt">, at: number): GrantState {
  if (f.action === "revoked") return "revoked";
  return at >= f.expiresAt ? "expired" : "active";
}

/** Renders one version of a grant as a Consent, with its state as of `at` (ms). */
export function consentOf(f: ConsentFacts, at: number): Consent {
  const state = grantStateAt(f, at);
  const actions = [{ coding: [{ system: CONSENT_ACTION, code: "access", display: "Access" }] }];
  if (f.level === 2) actions.push({ coding: [{ system: CONSENT_ACTION, code: "use", display: "Use" }] });
  const byCategory = f.scopeKind === 2;
  return {
    resourceType: "Consent",
    id: f.grantId.replace(/^0x/, ""),
    meta: { versionId: String(f.version), lastUpdated: iso(f.versionAt) },
    extension: [
      { url: GRANT_STATE_URL, valueCode: state },
      {
        url: CHAIN_ANCHOR_URL,
        extension: [
          { url: "txHash", valueString: f.txHash },
          { url: "blockNumber", valueUnsignedInt: f.blockNumber },
        ],
      },
    ],
    identifier: [{ system: GRANT_SYSTEM, value: f.grantId }],
    status: state === "active" ? "active" : "inactive",
    scope: { coding: [{ system: CONSENT_SCOPE, code: "patient-privacy", display: "Privacy Consent" }] },
    category: [{ coding: [{ system: LOINC, code: "59284-0", display: "Patient Consent" }] }],
    patient: addressRef(f.patient, "Patient"),
    dateTime: iso(f.grantedAt),
    performer: [addressRef(f.signer, f.signer === f.patient ? "Patient" : "RelatedPerson")],
    policyRule: { coding: [{ system: ACT_CODE, code: "OPTIN", display: "opt-in" }] },
    provision: {
      type: "permit",
      period: { start: iso(f.grantedAt), end: iso(f.expiresAt) },
      actor: [
        {
          role: { coding: [{ system: PARTICIPATION, code: "IRCP", display: "information recipient" }] },
          reference: addressRef(f.grantee),
        },
      ],
      action: actions,
      ...(byCategory
        ? {
            class: [
              {
                system: CATEGORY_SYSTEM,
                code: f.scope,
                ...(f.categoryName ? { display: f.categoryName } : {}),
              },
            ],
          }
        : {
            data: [
              {
                meaning: "instance" as const,
                reference: { identifier: { system: RECORD_SYSTEM, value: f.scope } },
              },
            ],
          }),
    },
  };
}

/** keccak256 of the Consent's canonical JSON (sorted keys, no whitespace). */
export function consentHashOf(consent: Consent): string {
  return keccak256(toUtf8Bytes(canonicalJson(consent)));
}

export const BundleSchema = z
  .object({
    resourceType: z.literal("Bundle"),
    type: z.enum(["history", "collection"]),
    timestamp: z.string(),
    total: z.number().optional(),
    entry: z.array(
      z.object({
        resource: ConsentSchema,
        request: z.object({ method: z.enum(["POST", "PUT"]), url: z.string() }).optional(),
        response: z.object({ status: z.string(), etag: z.string(), lastModified: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: "ConsentBundle", description: "FHIR R4 Bundle of Consent resources" });
export type ConsentBundle = z.infer<typeof BundleSchema>;

/**
 * A grant's history, oldest version first. Each version is shown in the state it had while it was the
 * current one: until the next version replaced it, or until `now` for the latest.
 */
export function historyBundleOf(versions: readonly ConsentFacts[], now: number): ConsentBundle {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  return {
    resourceType: "Bundle",
    type: "history",
    timestamp: iso(now),
    total: ordered.length,
    entry: ordered.map((f, i) => {
      const until = i + 1 < ordered.length ? Math.min(now, ordered[i + 1]!.versionAt) : now;
      const resource = consentOf(f, until);
      return {
        resource,
        request: {
          method: f.version === 1 ? ("POST" as const) : ("PUT" as const),
          url: `Consent/${resource.id}`,
        },
        response: {
          status: f.version === 1 ? "201" : "200",
          etag: `W/"${f.version}"`,
          lastModified: resource.meta.lastUpdated,
        },
      };
    }),
  };
}

/** The current Consents of a patient, as a collection. */
export function collectionBundleOf(current: readonly ConsentFacts[], now: number): ConsentBundle {
  return {
    resourceType: "Bundle",
    type: "collection",
    timestamp: iso(now),
    entry: current.map((f) => ({ resource: consentOf(f, now) })),
  };
}
