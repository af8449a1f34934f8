import type { AppContext } from "../context.ts";

/** Doctor recommendations for patients (智能推荐). */
export function registerRecommendationRoutes(_ctx: AppContext): void {}
