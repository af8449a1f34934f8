import type { RouteRecordRaw } from "vue-router";
import { Calendar, Files, Stamp } from "@element-plus/icons-vue";

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
  {
    path: "patient/visits",
    name: "patient-visits",
    component: () => import("@/views/visits/VisitListPage.vue"),
    meta: { title: "visits.nav.patient", roles: ["patient"], menu: true, icon: Calendar, order: 12 },
  },
  {
    path: "patient/visits/:visitId",
    name: "patient-visit-detail",
    component: () => import("@/views/visits/VisitDetailPage.vue"),
    props: true,
    meta: { title: "visits.nav.detail", roles: ["patient"], activeMenu: "/patient/visits" },
  },
];
