import type { RouteRecordRaw } from "vue-router";
import { DataAnalysis } from "@element-plus/icons-vue";

/** Pages of hospitals' value and rarity ratings of shared records, with the entropy hint. */
export const ratingsRoutes: RouteRecordRaw[] = [
  {
    path: "hospital/ratings",
    name: "hospital-ratings",
    component: () => import("@/views/ratings/RatingListPage.vue"),
    meta: { title: "ratings.nav.rate", roles: ["hospital"], menu: true, icon: DataAnalysis, order: 33 },
  },
];
