import type { RouteRecordRaw } from "vue-router";

/** Pages of research projects and their Shapley allocation. */
export const researchRoutes: RouteRecordRaw[] = [];
