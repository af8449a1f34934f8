import type { RouteRecordRaw } from "vue-router";
import {
  Bell,
  ChatLineSquare,
  FirstAidKit,
  Lock,
  Management,
  Share,
  User,
  View,
  WarningFilled,
} from "@element-plus/icons-vue";

/**
 * Who may read records and who did: the patient's grants, access log, notifications, guardians and
 * complaints; the doctor's break-glass; the alliance admin's review queue, blacklist, regulators and
 * complaints.
 */
export const privacyRoutes: RouteRecordRaw[] = [
  {
    path: "patient/grants",
    name: "patient-grants",
    component: () => import("@/views/privacy/GrantListPage.vue"),
    meta: { title: "privacy.nav.grants", roles: ["patient"], menu: true, icon: Share, order: 12 },
  },
  {
    path: "patient/access-log",
    name: "patient-access-log",
    component: () => import("@/views/privacy/AccessLogPage.vue"),
    meta: { title: "privacy.nav.accessLog", roles: ["patient"], menu: true, icon: View, order: 13 },
  },
  {
    path: "patient/guardians",
    name: "patient-guardians",
    component: () => import("@/views/privacy/GuardianPage.vue"),
    meta: { title: "privacy.nav.guardians", roles: ["patient"], menu: true, icon: User, order: 14 },
  },
  {
    path: "patient/complaints",
    name: "patient-complaints",
    component: () => import("@/views/privacy/ComplaintPage.vue"),
    meta: {
      title: "privacy.nav.complaints",
      roles: ["patient"],
      menu: true,
      icon: ChatLineSquare,
      order: 15,
    },
  },
  {
    // Reached from the header's bell.
    path: "patient/notifications",
    name: "patient-notifications",
    component: () => import("@/views/privacy/NotificationsPage.vue"),
    meta: { title: "privacy.nav.notifications", roles: ["patient"], icon: Bell },
  },
  {
    path: "doctor/emergency",
    name: "doctor-emergency",
    component: () => import("@/views/oversight/BreakGlassPage.vue"),
    meta: { title: "oversight.nav.breakGlass", roles: ["doctor"], menu: true, icon: FirstAidKit, order: 25 },
  },
  {
    path: "alliance/emergency",
    name: "alliance-emergency",
    component: () => import("@/views/oversight/EmergencyReviewPage.vue"),
    meta: {
      title: "oversight.nav.emergencyReview",
      roles: ["alliance-admin"],
      menu: true,
      icon: WarningFilled,
      order: 42,
    },
  },
  {
    path: "alliance/blacklist",
    name: "alliance-blacklist",
    component: () => import("@/views/oversight/BlacklistPage.vue"),
    meta: { title: "oversight.nav.blacklist", roles: ["alliance-admin"], menu: true, icon: Lock, order: 43 },
  },
  {
    path: "alliance/regulators",
    name: "alliance-regulators",
    component: () => import("@/views/oversight/RegulatorPage.vue"),
    meta: {
      title: "oversight.nav.regulators",
      roles: ["alliance-admin"],
      menu: true,
      icon: Management,
      order: 44,
    },
  },
  {
    path: "alliance/complaints",
    name: "alliance-complaints",
    component: () => import("@/views/privacy/ComplaintPage.vue"),
    meta: {
      title: "oversight.nav.complaints",
      roles: ["alliance-admin"],
      menu: true,
      icon: ChatLineSquare,
      order: 45,
    },
  },
];
