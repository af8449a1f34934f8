/** vue-i18n instance. zh-CN is the default; en-US mirrors every key (typed against zh-CN). */
import { createI18n } from "vue-i18n";
import zhCN from "./zh-CN";
import enUS from "./en-US";
import privacyZh from "./privacy.zh-CN";
import privacyEn from "./privacy.en-US";
import keysZh from "./keys.zh-CN";
import keysEn from "./keys.en-US";
import scoreZh from "./score.zh-CN";
import scoreEn from "./score.en-US";
import pointsZh from "./points.zh-CN";
import pointsEn from "./points.en-US";
import ratingsZh from "./ratings.zh-CN";
import ratingsEn from "./ratings.en-US";
import researchZh from "./research.zh-CN";
import researchEn from "./research.en-US";

export type AppLocale = "zh-CN" | "en-US";
export const LOCALES: AppLocale[] = ["zh-CN", "en-US"];
export const LOCALE_STORAGE_KEY = "yyl.locale";

export type MessageSchema = typeof zhCN &
  typeof privacyZh &
  typeof keysZh &
  typeof scoreZh &
  typeof pointsZh &
  typeof ratingsZh &
  typeof researchZh;

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
    "zh-CN": { ...zhCN, ...privacyZh, ...keysZh, ...scoreZh, ...pointsZh, ...ratingsZh, ...researchZh },
    "en-US": { ...enUS, ...privacyEn, ...keysEn, ...scoreEn, ...pointsEn, ...ratingsEn, ...researchEn },
  },
  missingWarn: false,
  fallbackWarn: false,
});
