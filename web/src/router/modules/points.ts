import type { RouteRecordRaw } from "vue-router";

/** Pages of patients' points, tiers, perks and doctor recommendations. */
export const pointsRoutes: RouteRecordRaw[] = [];
