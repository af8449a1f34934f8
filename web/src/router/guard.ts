/**
 * Navigation guard: sign-in required unless `meta.public`; `meta.roles` checked against the session;
 * a stored session is confirmed with `/auth/me` once per page load.
 */
import type { Router } from "vue-router";
import { useSessionStore } from "@/stores/session";
import { i18n } from "@/locales";

/** Where a freshly signed-in user lands. Not-yet-members go straight to the application. */
export function landingRoute(session: ReturnType<typeof useSessionStore>): { name: string } {
  const m = session.member;
  if (!m || m.status === "rejected" || m.status === "revoked") {
    if (!session.memberRoles.length) return { name: "apply" };
  }
  return { name: "home" };
}

export function installGuard(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore();

    if (to.meta.public) {
      if (to.name === "sign-in" && session.isSignedIn) return landingRoute(session);
      return true;
    }

    if (!session.isSignedIn) {
      // Home is where sign-in lands anyway (or the application, for non-members).
      const isLanding = to.name === "home" || to.fullPath === "/";
      return { name: "sign-in", query: isLanding ? {} : { redirect: to.fullPath } };
    }

    if (!session.verified) {
      try {
        await session.refresh();
      } catch {
        /* server unreachable: keep the stored session; pages show their own errors */
      }
      if (!session.isSignedIn) return { name: "sign-in", query: { redirect: to.fullPath } };
    }

    const roles = to.meta.roles;
    if (roles?.length && !session.hasRole(...roles)) {
      return { name: "forbidden", query: { from: to.fullPath } };
    }
    return true;
  });

  router.afterEach((to) => {
    const t = i18n.global.t;
    document.title = to.meta.title ? `${t(to.meta.title)} · ${t("app.title")}` : t("app.title");
  });
}
