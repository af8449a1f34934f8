import { get, post } from "./client";
import type { Hospital, Member, MemberRole, MemberStatus, Page, PageQuery } from "./types";

export interface ApplicationBody {
  role: MemberRole;
  profile: Record<string, string>;
  hospital?: string;
  nonce: string;
  /** ms since the epoch */
  deadline: number;
  signature: string;
}

export interface DecisionBody {
  decision: "approve" | "reject" | "revoke";
  reason?: string;
  nonce: string;
  /** ms since the epoch */
  deadline: number;
  signature: string;
}

export interface MemberQuery extends PageQuery {
  role?: MemberRole;
  status?: MemberStatus;
  q?: string;
}

export const membersApi = {
  apply: (body: ApplicationBody) => post<Member>("/members/applications", body, { silent: true }),
  hospitals: () => get<Hospital[]>("/members/hospitals"),
  list: (query: MemberQuery = {}, silent = false) => get<Page<Member>>("/members", { params: query, silent }),
  get: (address: string, silent = false) => get<Member>(`/members/${address}`, { silent }),
  register: (address: string) => post<Member>(`/members/${address}/register`, {}),
  decide: (address: string, body: DecisionBody) => post<Member>(`/members/${address}/decision`, body),
};
