import { get } from "./client";
import type { ChainInfo, Health } from "./types";

export const chainApi = {
  info: (silent = false) => get<ChainInfo>("/chain", { silent }),
  health: () => get<Health>("/health", { silent: true }),
};
