import type { RouteRecordRaw } from "vue-router";

/** Pages of hospitals' value and rarity ratings of shared records, with the entropy hint. */
export const ratingsRoutes: RouteRecordRaw[] = [];
