import type { RouteRecordRaw } from "vue-router";

/** Pages of hospital scores and ranking. */
export const scoreRoutes: RouteRecordRaw[] = [];
