import type { AppContext } from "../context.ts";

/** Shapley allocation of a research project. */
export function registerShapleyRoutes(_ctx: AppContext): void {}
