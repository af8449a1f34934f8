import { createApp } from "vue";
import { createPinia } from "pinia";
import ElementPlus from "element-plus";
import "element-plus/dist/index.css";
import "./styles/main.css";
import App from "./App.vue";
import { i18n } from "./locales";
import { router } from "./router";
import { installGuard } from "./router/guard";
import { installAccessDirective } from "./directives/access";
import { connectClientToSession, useSessionStore } from "./stores/session";
import { forgetReaderKeys } from "./api/sealed";
import { watch } from "vue";

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(ElementPlus);
installAccessDirective(app);

connectClientToSession(() => {
  const current = router.currentRoute.value;
  if (!current.meta.public) {
    void router.replace({ name: "sign-in", query: { redirect: current.fullPath } });
  }
});
installGuard(router);
// The attribute key lives for one session: dropped at sign-out or when the session ends.
watch(
  () => useSessionStore().token,
  (token) => {
    if (!token) forgetReaderKeys();
  },
);
app.use(router);

void router.isReady().then(() => app.mount("#app"));
