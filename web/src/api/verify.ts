import { get } from "./client";
import type { VerifyResult } from "./types";

export const verifyApi = {
  record: (recordId: string) => get<VerifyResult>(`/verify/records/${encodeURIComponent(recordId)}`),
};
