import type { AppContext } from "../context.ts";

/** The entropy hint a rating hospital sees beside its own judgment of a record's value. */
export function registerValueHintRoutes(_ctx: AppContext): void {}
