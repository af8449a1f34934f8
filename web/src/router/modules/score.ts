import type { RouteRecordRaw } from "vue-router";
import { Medal, Trophy } from "@element-plus/icons-vue";

/** Hospital scores: the ranking (everyone signed in), one hospital's score and history, and the
 *  hospital admin's own score page. */
export const scoreRoutes: RouteRecordRaw[] = [
  {
    path: "hospitals/ranking",
    name: "score-ranking",
    component: () => import("@/views/score/RankingPage.vue"),
    meta: { title: "score.nav.ranking", menu: true, icon: Trophy, order: 47 },
  },
  {
    path: "hospitals/:address/score",
    name: "score-detail",
    component: () => import("@/views/score/ScoreDetailPage.vue"),
    props: true,
    meta: { title: "score.detailTitle", activeMenu: "/hospitals/ranking" },
  },
  {
    path: "hospital/score",
    name: "hospital-score",
    component: () => import("@/views/score/OwnScorePage.vue"),
    meta: { title: "score.nav.mine", roles: ["hospital"], menu: true, icon: Medal, order: 32 },
  },
];
