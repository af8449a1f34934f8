import type { RouteRecordRaw } from "vue-router";
import { Calendar, Files, UserFilled } from "@element-plus/icons-vue";

export const hospitalRoutes: RouteRecordRaw[] = [
  {
    path: "hospital/doctors",
    name: "hospital-doctors",
    component: () => import("@/views/hospital/DoctorRegistrationPage.vue"),
    meta: { title: "nav.doctorRegistration", roles: ["hospital"], menu: true, icon: UserFilled, order: 30 },
  },
  {
    path: "hospital/records",
    name: "hospital-records",
    component: () => import("@/views/emr/RecordListPage.vue"),
    meta: { title: "nav.hospitalRecords", roles: ["hospital"], menu: true, icon: Files, order: 31 },
  },
  {
    // The waiting list in priority order and the visits seen; steps are recorded by the doctors.
    path: "hospital/visits",
    name: "hospital-visits",
    component: () => import("@/views/visits/VisitListPage.vue"),
    meta: { title: "visits.nav.hospital", roles: ["hospital"], menu: true, icon: Calendar, order: 32 },
  },
  {
    path: "hospital/visits/:visitId",
    name: "hospital-visit-detail",
    component: () => import("@/views/visits/VisitDetailPage.vue"),
    props: true,
    meta: { title: "visits.nav.detail", roles: ["hospital"], activeMenu: "/hospital/visits" },
  },
];
