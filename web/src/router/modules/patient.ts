import type { RouteRecordRaw } from "vue-router";
import { Files, Stamp } from "@element-plus/icons-vue";

export const patientRoutes: RouteRecordRaw[] = [
  {
    path: "patient/records",
    name: "patient-records",
    component: () => import("@/views/emr/RecordListPage.vue"),
    meta: { title: "nav.myRecords", roles: ["patient"], menu: true, icon: Files, order: 10 },
  },
  {
    path: "patient/drafts",
    name: "patient-drafts",
    component: () => import("@/views/emr/DraftListPage.vue"),
    meta: { title: "nav.toCosign", roles: ["patient"], menu: true, icon: Stamp, order: 11 },
  },
];
