/** UI language; Element Plus's own strings follow through `elementLocale`. */
import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import en from "element-plus/es/locale/lang/en";
import { i18n, LOCALE_STORAGE_KEY, type AppLocale } from "@/locales";

export const useLocaleStore = defineStore("locale", () => {
  const locale = ref<AppLocale>(i18n.global.locale.value);
  const elementLocale = computed(() => (locale.value === "zh-CN" ? zhCn : en));

  function apply(l: AppLocale): void {
    i18n.global.locale.value = l;
    document.documentElement.lang = l;
    document.title = i18n.global.t("app.title");
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, l);
    } catch {
      /* storage unavailable */
    }
  }

  watch(locale, apply, { immediate: true });

  function set(l: AppLocale): void {
    locale.value = l;
  }

  function toggle(): void {
    locale.value = locale.value === "zh-CN" ? "en-US" : "zh-CN";
  }

  return { locale, elementLocale, set, toggle };
});
