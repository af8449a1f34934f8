/**
 * Signing helpers shared by pages: the key of the signed-in account (password prompt if locked),
 * fresh nonces and deadlines for EIP-712 messages.
 */
import { useSessionStore } from "@/stores/session";
import { useChainStore } from "@/stores/chain";
import { useWalletStore, WalletError } from "@/stores/wallet";
import { newNonce, signTyped, type KeyWallet, type TypedData } from "@/lib/sdk";
import { i18n } from "@/locales";

/** How long a signed application or decision stays valid (ms); it is relayed at once. */
export const SIGNATURE_TTL_MS = 30 * 60 * 1000;
/** A doctor's application waits for the hospital to register it, so it must stay valid longer. */
export const DOCTOR_APPLICATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A signature deadline in ms since the epoch (chain time is in ms). */
function deadlineFromNow(ttl = SIGNATURE_TTL_MS): number {
  return Date.now() + ttl;
}

/** What an AllianceRegistry message carries besides its own fields: the domain, a nonce, a deadline. */
export interface AllianceStamp {
  chainId: number | string;
  verifyingContract: string;
  nonce: string;
  deadline: number;
}

/** A signed AllianceRegistry message as the server takes it, next to the message's own fields. */
export interface AllianceSignature {
  nonce: string;
  deadline: number;
  signature: string;
}

export function useSigning(): {
  key: () => Promise<KeyWallet>;
  isCancel: (e: unknown) => boolean;
  signForAlliance: (build: (stamp: AllianceStamp) => TypedData, ttl?: number) => Promise<AllianceSignature>;
} {
  const session = useSessionStore();
  const wallet = useWalletStore();
  const chain = useChainStore();

  async function key(): Promise<KeyWallet> {
    if (!session.address) throw new Error(i18n.global.t("error.notSignedIn"));
    return wallet.signer(session.address);
  }

  /** Unlocks the key first (it may prompt), then reads the chain for the domain and signs `build`'s message. */
  async function signForAlliance(
    build: (stamp: AllianceStamp) => TypedData,
    ttl = SIGNATURE_TTL_MS,
  ): Promise<AllianceSignature> {
    const k = await key();
    const info = await chain.require();
    const stamp: AllianceStamp = {
      chainId: info.chainId,
      verifyingContract: info.contracts.AllianceRegistry,
      nonce: newNonce(),
      deadline: deadlineFromNow(ttl),
    };
    const signature = await signTyped(k, build(stamp));
    return { nonce: stamp.nonce, deadline: stamp.deadline, signature };
  }

  return {
    key,
    isCancel: (e: unknown) => e instanceof WalletError && e.code === "CANCELLED",
    signForAlliance,
  };
}
