/**
 * Regulators and courts (health administrations, courts, insurers): admitted and revoked off chain by
 * an alliance admin; while admitted their account holds the `regulator` role.
 */
import { get, post } from "./client";
import type { Address, Page, PageQuery } from "./types";

export const REGULATOR_KINDS = ["health-authority", "court", "insurer", "other"] as const;
export const JURISDICTIONS = ["national", "provincial", "city"] as const;
export type RegulatorKind = (typeof REGULATOR_KINDS)[number];
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export interface Regulator {
  address: Address;
  name: string;
  organization: string;
  kind: RegulatorKind;
  jurisdiction: Jurisdiction;
  region: string | null;
  active: boolean;
  addedBy: Address;
  addedAt: number;
  revokedAt: number | null;
  revokedBy: Address | null;
}

export interface RegulatorQuery extends PageQuery {
  kind?: RegulatorKind;
  jurisdiction?: Jurisdiction;
  region?: string;
  active?: boolean;
  sort?: "addedAt:desc" | "addedAt:asc" | "name:desc" | "name:asc";
}

export interface RegulatorBody {
  address: Address;
  name: string;
  organization: string;
  kind: RegulatorKind;
  jurisdiction: Jurisdiction;
  region?: string;
}

export const regulatorsApi = {
  list: (query: RegulatorQuery = {}, silent = false) =>
    get<Page<Regulator>>("/regulators", { params: query, silent }),
  add: (body: RegulatorBody) => post<Regulator>("/regulators", body, { silent: true }),
  revoke: (address: string, reason?: string) =>
    post<Regulator>(`/regulators/${address}/revocation`, reason ? { reason } : {}),
};
