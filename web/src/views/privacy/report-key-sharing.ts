/**
 * Shares keys after a grant or a new guardian, and tells the patient how it went: the grant itself
 * is already on chain, so a failure here is a warning that stays until closed (the grant list offers
 * to share the keys again).
 */
import { ElMessage } from "element-plus";
import { toApiError } from "@/api/client";
import { i18n } from "@/locales";

export async function reportKeySharing(share: () => Promise<{ records: number; versions: number }>): Promise<void> {
  const { t } = i18n.global;
  try {
    const { records, versions } = await share();
    ElMessage.success(t("privacy.grants.keysShared", { records, versions }));
  } catch (e) {
    ElMessage({
      type: "warning",
      message: t("privacy.grants.keysFailed", { error: toApiError(e).message }),
      duration: 0,
      showClose: true,
    });
  }
}
