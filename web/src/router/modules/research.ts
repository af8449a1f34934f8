import type { RouteRecordRaw } from "vue-router";
import { Coin } from "@element-plus/icons-vue";

/** Research projects and their Shapley allocation: run by alliance admins, read by regulators and hospitals. */
export const researchRoutes: RouteRecordRaw[] = [
  {
    path: "research/projects",
    name: "research-projects",
    component: () => import("@/views/research/ResearchListPage.vue"),
    meta: {
      title: "research.nav.projects",
      roles: ["alliance-admin", "regulator", "hospital"],
      menu: true,
      icon: Coin,
      order: 46,
    },
  },
  {
    path: "research/projects/:projectId",
    name: "research-detail",
    component: () => import("@/views/research/ResearchDetailPage.vue"),
    props: true,
    meta: {
      title: "research.detailTitle",
      roles: ["alliance-admin", "regulator", "hospital"],
      activeMenu: "/research/projects",
    },
  },
];
