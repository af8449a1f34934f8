import type { RouteRecordRaw } from "vue-router";
import { Files, Checked } from "@element-plus/icons-vue";

export const allianceRoutes: RouteRecordRaw[] = [
  {
    path: "alliance/members",
    name: "alliance-members",
    component: () => import("@/views/alliance/MemberReviewPage.vue"),
    meta: { title: "nav.memberReview", roles: ["alliance-admin"], menu: true, icon: Checked, order: 40 },
  },
  {
    path: "alliance/records",
    name: "alliance-records",
    component: () => import("@/views/emr/RecordListPage.vue"),
    meta: { title: "nav.allRecords", roles: ["alliance-admin"], menu: true, icon: Files, order: 41 },
  },
];
