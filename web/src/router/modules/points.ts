import type { RouteRecordRaw } from "vue-router";
import { Medal, Star } from "@element-plus/icons-vue";

/** Pages of patients' points, tiers, perks and doctor recommendations. */
export const pointsRoutes: RouteRecordRaw[] = [
  {
    path: "patient/points",
    name: "patient-points",
    component: () => import("@/views/points/MyPointsPage.vue"),
    meta: { title: "points.nav.points", roles: ["patient"], menu: true, icon: Medal, order: 20 },
  },
  {
    path: "patient/recommendations",
    name: "patient-recommendations",
    component: () => import("@/views/points/RecommendedDoctorsPage.vue"),
    meta: { title: "points.nav.recommendations", roles: ["patient"], menu: true, icon: Star, order: 21 },
  },
];
