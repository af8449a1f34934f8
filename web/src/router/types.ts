import type { Component } from "vue";
import type { SessionRole } from "@/api/types";

declare module "vue-router" {
  interface RouteMeta {
    /** i18n key of the page title (menu entry, breadcrumb, document title). */
    title?: string;
    /** Who may open the page; absent = anyone signed in. */
    roles?: SessionRole[];
    /** Reachable without signing in. */
    public?: boolean;
    /** Shown in the side menu. */
    menu?: boolean;
    icon?: Component;
    /** Menu position, small first. */
    order?: number;
    /** Menu entry to highlight for a page that has none of its own. */
    activeMenu?: string;
  }
}

export {};
