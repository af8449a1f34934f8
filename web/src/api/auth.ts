import { get, post } from "./client";
import type { Challenge, Session, SessionResponse } from "./types";

export const authApi = {
  challenge: (address: string) => post<Challenge>("/auth/challenge", { address }),
  session: (body: { address: string; nonce: string; signature: string }) =>
    post<SessionResponse>("/auth/session", body),
  me: () => get<Session>("/auth/me", { silent: true }),
};
