import type { RouteRecordRaw } from "vue-router";
import { Calendar, DocumentAdd, Files, Tickets } from "@element-plus/icons-vue";

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
  {
    path: "doctor/visits",
    name: "doctor-visits",
    component: () => import("@/views/visits/VisitListPage.vue"),
    meta: { title: "visits.nav.doctor", roles: ["doctor"], menu: true, icon: Calendar, order: 23 },
  },
  {
    path: "doctor/visits/:visitId",
    name: "doctor-visit-detail",
    component: () => import("@/views/visits/VisitDetailPage.vue"),
    props: true,
    meta: { title: "visits.nav.detail", roles: ["doctor"], activeMenu: "/doctor/visits" },
  },
];
