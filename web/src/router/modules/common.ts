import type { RouteRecordRaw } from "vue-router";
import { Document, EditPen, HomeFilled, Key } from "@element-plus/icons-vue";

/** Pages for everyone signed in, and the record pages shared by patients and doctors. */
export const commonRoutes: RouteRecordRaw[] = [
  {
    path: "home",
    name: "home",
    component: () => import("@/views/home/HomePage.vue"),
    meta: { title: "nav.home", menu: true, icon: HomeFilled, order: 0 },
  },
  {
    path: "apply",
    name: "apply",
    component: () => import("@/views/apply/ApplyPage.vue"),
    meta: { title: "nav.apply", menu: true, icon: EditPen, order: 90 },
  },
  {
    // Any signed-in account can back up its key, member or not yet.
    path: "account/key-backup",
    name: "key-backup",
    component: () => import("@/views/keys/KeyBackupPage.vue"),
    meta: { title: "keys.nav.backup", menu: true, icon: Key, order: 95 },
  },
  {
    path: "emr/drafts/:id",
    name: "draft-detail",
    component: () => import("@/views/emr/DraftDetailPage.vue"),
    props: true,
    meta: { title: "nav.draftDetail", roles: ["patient", "doctor"], icon: Document },
  },
  {
    path: "emr/records/:recordId",
    name: "record-detail",
    component: () => import("@/views/emr/RecordDetailPage.vue"),
    props: true,
    meta: { title: "nav.recordDetail", roles: ["patient", "doctor"], icon: Document },
  },
  {
    path: "emr/records/:recordId/versions/:version",
    name: "record-version",
    component: () => import("@/views/emr/RecordVersionPage.vue"),
    props: true,
    meta: { title: "recordHistory.versionTitle", roles: ["patient", "doctor"], icon: Document },
  },
];
