/**
 * Signing helpers shared by pages: the key of the signed-in account (password prompt if locked),
 * and EIP-712 messages for the deployed contracts with their domain, a fresh nonce and a deadline.
 */
import { useSessionStore } from "@/stores/session";
import { useChainStore } from "@/stores/chain";
import { useWalletStore } from "@/stores/wallet";
import { newNonce, signTyped, type KeyWallet, type TypedData } from "@/lib/sdk";
import type { Stamp } from "@/lib/stamp";
import { i18n } from "@/locales";
import { isCancelled } from "@/utils/errors";

/** How long a signed application or decision stays valid (ms); it is relayed at once. */
export const SIGNATURE_TTL_MS = 30 * 60 * 1000;
/** A doctor's application waits for the hospital to register it, so it must stay valid longer. */
export const DOCTOR_APPLICATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A signature deadline in ms since the epoch (chain time is in ms). */
function deadlineFromNow(ttl = SIGNATURE_TTL_MS): number {
  return Date.now() + ttl;
}

/** A signed message as the server takes it, next to the message's own fields. */
export interface SignedAct {
  nonce: string;
  deadline: number;
  signature: string;
}
/** An AllianceRegistry message's domain, nonce and deadline. */
export type AllianceStamp = Stamp;
export type AllianceSignature = SignedAct;

export function useSigning(): {
  key: () => Promise<KeyWallet>;
  isCancel: (e: unknown) => boolean;
  signFor: (contract: string, build: (stamp: Stamp) => TypedData, ttl?: number) => Promise<SignedAct>;
  signForAlliance: (build: (stamp: Stamp) => TypedData, ttl?: number) => Promise<SignedAct>;
} {
  const session = useSessionStore();
  const wallet = useWalletStore();
  const chain = useChainStore();

  async function key(): Promise<KeyWallet> {
    if (!session.address) throw new Error(i18n.global.t("error.notSignedIn"));
    return wallet.signer(session.address);
  }

  /**
   * Signs `build`'s message for one of the deployed contracts (AllianceRegistry, CareProcess, …):
   * unlocks the key first (it may prompt), then reads the chain for the contract's domain.
   */
  async function signFor(
    contract: string,
    build: (stamp: Stamp) => TypedData,
    ttl = SIGNATURE_TTL_MS,
  ): Promise<SignedAct> {
    const k = await key();
    const info = await chain.require();
    const verifyingContract = info.contracts[contract];
    if (!verifyingContract) throw new Error(`no contract ${contract} on this chain`);
    const stamp: Stamp = {
      chainId: info.chainId,
      verifyingContract,
      nonce: newNonce(),
      deadline: deadlineFromNow(ttl),
    };
    const signature = await signTyped(k, build(stamp));
    return { nonce: stamp.nonce, deadline: stamp.deadline, signature };
  }

  return {
    key,
    isCancel: isCancelled,
    signFor,
    signForAlliance: (build, ttl) => signFor("AllianceRegistry", build, ttl),
  };
}
