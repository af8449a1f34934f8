/**
 * The recovery page's state: sealed shares opened one by one with their holders' passwords, checked
 * against each other as they come (same key, same backup, not twice), then combined into the key.
 * Every refusal names the share it is about and carries a code the page shows as `data-code`.
 */
import { ref, shallowRef } from "vue";
import { i18n } from "@/locales";
import { decryptShare, parseShare, recoverKey, sealedShareLabel } from "@/lib/sdk-recovery";
import { shortHex } from "@/utils/format";

export type RecoveryErrorCode =
  | "NOT_SHARE"
  | "WRONG_PASSWORD"
  | "DAMAGED"
  | "OTHER_KEY"
  | "OTHER_SPLIT"
  | "DUPLICATE"
  | "TOO_FEW"
  | "NONE"
  | "FAILED";

export class RecoveryError extends Error {
  constructor(
    readonly code: RecoveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RecoveryError";
  }
}

export interface OpenedShare {
  index: number;
  shares: number;
  threshold: number;
  address: string;
  /** The opened share string; kept in memory only until the page is left. */
  share: string;
}

const t = i18n.global.t;
const fail = (code: RecoveryErrorCode, key: string, params: Record<string, unknown> = {}): never => {
  throw new RecoveryError(code, t(`keys.recover.errors.${key}`, params));
};

export function useShareRecovery() {
  const opened = ref<OpenedShare[]>([]);
  /** The rebuilt key; shallow, so the secret is not wrapped in a reactive proxy. */
  const recovered = shallowRef<{ address: string; privateKey: string } | null>(null);

  /** Opens one sealed share with its password and adds it; throws a {@link RecoveryError}. */
  async function open(sealedText: string, password: string): Promise<OpenedShare> {
    const label = sealedShareLabel(sealedText.trim());
    if (!label) return fail("NOT_SHARE", "notShare");
    const first = opened.value[0];
    const named = { i: label.index, address: shortHex(label.address) };
    // Checked on the unencrypted label before the slow scrypt: a share of another key is refused at once.
    if (first && label.address.toLowerCase() !== first.address.toLowerCase())
      fail("OTHER_KEY", "otherKey", { ...named, first: shortHex(first.address) });
    if (opened.value.some((o) => o.index === label.index)) fail("DUPLICATE", "duplicate", named);
    let share: string;
    try {
      share = await decryptShare(sealedText.trim(), password);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // AES-GCM cannot tell a wrong password from altered bytes: the message says both.
      if (/wrong password/i.test(message)) return fail("WRONG_PASSWORD", "wrongPassword", named);
      return fail("DAMAGED", "damaged", { ...named, message });
    }
    const s = parseShare(share);
    if (first && (s.threshold !== first.threshold || s.shares !== first.shares))
      fail("OTHER_SPLIT", "otherSplit", {
        ...named,
        t: s.threshold,
        n: s.shares,
        t0: first.threshold,
        n0: first.shares,
      });
    const item: OpenedShare = {
      index: s.index,
      shares: s.shares,
      threshold: s.threshold,
      address: s.address,
      share,
    };
    opened.value = [...opened.value, item].sort((a, b) => a.index - b.index);
    return item;
  }

  function remove(index: number): void {
    opened.value = opened.value.filter((o) => o.index !== index);
    recovered.value = null;
  }

  /** Combines the open shares; with fewer than t it refuses, saying how many are needed. */
  async function rebuild(): Promise<{ address: string; privateKey: string }> {
    const first = opened.value[0];
    if (!first) return fail("NONE", "none");
    if (opened.value.length < first.threshold)
      fail("TOO_FEW", "tooFew", {
        address: shortHex(first.address),
        t: first.threshold,
        opened: opened.value.length,
      });
    let privateKey: string;
    try {
      // recoverKey also checks that the combined key has the shares' address.
      privateKey = await recoverKey(opened.value.map((o) => o.share));
    } catch (e) {
      return fail("FAILED", "failed", { message: e instanceof Error ? e.message : String(e) });
    }
    recovered.value = { address: first.address, privateKey };
    return recovered.value;
  }

  return { opened, recovered, open, remove, rebuild };
}
