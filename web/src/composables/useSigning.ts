/**
 * Signing helpers shared by pages: the key of the signed-in account (password prompt if locked),
 * fresh nonces and deadlines for EIP-712 messages.
 */
import { useSessionStore } from "@/stores/session";
import { useWalletStore, WalletError } from "@/stores/wallet";
import type { KeyWallet } from "@/lib/sdk";
import { i18n } from "@/locales";

/** How long a signed application or decision stays valid (ms); it is relayed at once. */
export const SIGNATURE_TTL_MS = 30 * 60 * 1000;
/** A doctor's application waits for the hospital to register it, so it must stay valid longer. */
export const DOCTOR_APPLICATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A signature deadline in ms since the epoch (chain time is in ms). */
export function deadlineFromNow(ttl = SIGNATURE_TTL_MS): number {
  return Date.now() + ttl;
}

export function useSigning(): { key: () => Promise<KeyWallet>; isCancel: (e: unknown) => boolean } {
  const session = useSessionStore();
  const wallet = useWalletStore();
  return {
    key: async () => {
      if (!session.address) throw new Error(i18n.global.t("error.notSignedIn"));
      return wallet.signer(session.address);
    },
    isCancel: (e: unknown) => e instanceof WalletError && e.code === "CANCELLED",
  };
}
