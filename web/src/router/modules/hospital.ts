import type { RouteRecordRaw } from "vue-router";
import { Files, UserFilled } from "@element-plus/icons-vue";

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
];
