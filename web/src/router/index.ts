import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import "./types";
import { commonRoutes } from "./modules/common";
import { patientRoutes } from "./modules/patient";
import { doctorRoutes } from "./modules/doctor";
import { hospitalRoutes } from "./modules/hospital";
import { allianceRoutes } from "./modules/alliance";
import { privacyRoutes } from "./modules/privacy";
import { scoreRoutes } from "./modules/score";
import { pointsRoutes } from "./modules/points";
import { ratingsRoutes } from "./modules/ratings";
import { researchRoutes } from "./modules/research";

/** Everything inside the signed-in layout, in menu order. */
export const appRoutes: RouteRecordRaw[] = [
  ...commonRoutes,
  ...patientRoutes,
  ...doctorRoutes,
  ...hospitalRoutes,
  ...allianceRoutes,
  ...privacyRoutes,
  ...scoreRoutes,
  ...pointsRoutes,
  ...ratingsRoutes,
  ...researchRoutes,
];

const routes: RouteRecordRaw[] = [
  {
    path: "/sign-in",
    name: "sign-in",
    component: () => import("@/views/auth/SignInPage.vue"),
    meta: { title: "nav.signIn", public: true },
  },
  {
    // Signed out by nature: whoever lost their password cannot sign in.
    path: "/recover",
    name: "recover",
    component: () => import("@/views/keys/RecoverPage.vue"),
    meta: { title: "keys.nav.recover", public: true },
  },
  {
    path: "/",
    component: () => import("@/layouts/BasicLayout.vue"),
    redirect: { name: "home" },
    children: [
      ...appRoutes,
      {
        path: "403",
        name: "forbidden",
        component: () => import("@/views/error/ForbiddenPage.vue"),
        meta: { title: "nav.forbidden" },
      },
    ],
  },
  {
    path: "/:pathMatch(.*)*",
    name: "not-found",
    component: () => import("@/views/error/NotFoundPage.vue"),
    meta: { title: "nav.notFound", public: true },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});
