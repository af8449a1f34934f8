/** The check of a new password and its confirmation, wherever a key is stored under one. */
import { i18n } from "@/locales";
import { MIN_PASSWORD_LENGTH } from "@/stores/wallet";

/** Puts each field's message (empty when fine) into `errors`; answers whether both are fine. */
export function checkNewPassword(
  password: string,
  confirm: string,
  errors: { password: string; confirm: string },
): boolean {
  const t = i18n.global.t;
  errors.password =
    password.length >= MIN_PASSWORD_LENGTH ? "" : t("wallet.passwordTooShort", { n: MIN_PASSWORD_LENGTH });
  errors.confirm = confirm === password ? "" : t("wallet.passwordMismatch");
  return !errors.password && !errors.confirm;
}
