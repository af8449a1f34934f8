import type { RouteRecordRaw } from "vue-router";
import { DocumentAdd, Files, Tickets } from "@element-plus/icons-vue";

export const doctorRoutes: RouteRecordRaw[] = [
  {
    path: "doctor/drafts/new",
    name: "doctor-draft-new",
    component: () => import("@/views/doctor/DraftNewPage.vue"),
    meta: { title: "nav.newDraft", roles: ["doctor"], menu: true, icon: DocumentAdd, order: 20 },
  },
  {
    path: "doctor/drafts",
    name: "doctor-drafts",
    component: () => import("@/views/emr/DraftListPage.vue"),
    meta: { title: "nav.drafts", roles: ["doctor"], menu: true, icon: Tickets, order: 21 },
  },
  {
    path: "doctor/records",
    name: "doctor-records",
    component: () => import("@/views/emr/RecordListPage.vue"),
    meta: { title: "nav.attendedRecords", roles: ["doctor"], menu: true, icon: Files, order: 22 },
  },
];
