/** vue-i18n instance. zh-CN is the default; en-US mirrors every key (typed against zh-CN). */
import { createI18n } from "vue-i18n";
import zhCN from "./zh-CN";
import enUS from "./en-US";
import privacyZh from "./privacy.zh-CN";
import privacyEn from "./privacy.en-US";
import keysZh from "./keys.zh-CN";
import keysEn from "./keys.en-US";

export type AppLocale = "zh-CN" | "en-US";
export const LOCALES: AppLocale[] = ["zh-CN", "en-US"];
export const LOCALE_STORAGE_KEY = "yyl.locale";

export type MessageSchema = typeof zhCN & typeof privacyZh & typeof keysZh;

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
    if (saved === "zh-CN" || saved === "en-US") return saved;
  } catch {
    /* storage unavailable */
  }
  return "zh-CN";
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: "zh-CN",
  messages: {
    "zh-CN": { ...zhCN, ...privacyZh, ...keysZh },
    "en-US": { ...enUS, ...privacyEn, ...keysEn },
  },
  missingWarn: false,
  fallbackWarn: false,
});
