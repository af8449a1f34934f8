/**
 * A grant as the pages show it, read from the FHIR Consent the server answers (one version of the
 * grant). Which fields carry what is the server's mapping (server/src/consent/fhir-consent.ts).
 */
import type { Consent, GrantLevelName, GrantState } from "@/api/consent";

const GRANT_STATE_URL = "urn:yiyuanliao:fhir:grant-state";
const CHAIN_ANCHOR_URL = "urn:yiyuanliao:fhir:chain-anchor";
const GRANT_SYSTEM = "urn:yiyuanliao:grant";

export interface GrantView {
  grantId: string;
  version: number;
  state: GrantState;
  patient: string;
  grantee: string;
  /** Who signed this version: the patient or their guardian. */
  signer: string;
  scopeKind: "record" | "category";
  /** The record id, or keccak256("category:<name>"). */
  scope: string;
  categoryName: string | null;
  level: GrantLevelName;
  grantedAt: number;
  expiresAt: number;
  /** When this version was recorded on chain. */
  versionAt: number;
  txHash: string | null;
  blockNumber: number | null;
}

const ms = (iso: string) => new Date(iso).getTime();

export function grantOf(c: Consent): GrantView {
  const state = c.extension.find((e) => e.url === GRANT_STATE_URL)?.valueCode as GrantState | undefined;
  const anchor = c.extension.find((e) => e.url === CHAIN_ANCHOR_URL)?.extension ?? [];
  const category = c.provision.class?.[0];
  const record = c.provision.data?.[0];
  const uses = c.provision.action.some((a) => a.coding.some((k) => k.code === "use"));
  return {
    grantId: c.identifier.find((i) => i.system === GRANT_SYSTEM)?.value ?? `0x${c.id}`,
    version: Number(c.meta.versionId),
    state: state ?? (c.status === "active" ? "active" : "expired"),
    patient: c.patient.identifier.value,
    grantee: c.provision.actor[0]?.reference.identifier.value ?? "",
    signer: c.performer[0]?.identifier.value ?? c.patient.identifier.value,
    scopeKind: category ? "category" : "record",
    scope: category?.code ?? record?.reference.identifier.value ?? "",
    categoryName: category?.display ?? null,
    level: uses ? "research" : "view",
    grantedAt: ms(c.dateTime),
    expiresAt: ms(c.provision.period.end),
    versionAt: ms(c.meta.lastUpdated),
    txHash: anchor.find((e) => e.url === "txHash")?.valueString || null,
    blockNumber: anchor.find((e) => e.url === "blockNumber")?.valueUnsignedInt ?? null,
  };
}

/** Tag colours of the grant levels: research stands out. */
export const LEVEL_TAG: Record<GrantLevelName, "primary" | "warning"> = {
  view: "primary",
  research: "warning",
};

/** Tag colours of the grant states. */
export const STATE_TAG: Record<GrantState, "success" | "warning" | "info"> = {
  active: "success",
  expired: "warning",
  revoked: "info",
};
