/**
 * The user's keys. Each key is kept in localStorage only as an encrypted keystore (one entry per
 * address, so several identities can live in one browser). The unlocked key lives in memory only —
 * outside Pinia's reactive state, because ethers wallets keep private class fields that a Proxy
 * would break — and never leaves the browser.
 */
import { defineStore } from "pinia";
import { computed, ref, shallowRef } from "vue";
import { getAddress } from "ethers";
import {
  createKey,
  decryptKey,
  encryptKey,
  keyFromPrivateKey,
  keystoreAddress,
  KeystorePasswordError,
  type KeyWallet,
} from "@/lib/sdk";
import { i18n } from "@/locales";

export interface StoredKey {
  address: string;
  label: string;
  createdAt: number;
  keystore: string;
}

const STORAGE_KEY = "yyl.keystores.v1";

/** Fewest characters of a new password: for a keystore, and for a sealed backup share. */
export const MIN_PASSWORD_LENGTH = 8;

function loadKeys(): StoredKey[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return [];
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (k): k is StoredKey =>
        typeof k === "object" &&
        k !== null &&
        typeof (k as StoredKey).address === "string" &&
        typeof (k as StoredKey).keystore === "string",
    );
  } catch {
    return [];
  }
}

/** The one unlocked key, held outside any reactive proxy. */
let unlocked: KeyWallet | null = null;

export class WalletError extends Error {
  constructor(
    readonly code:
      "WRONG_PASSWORD" | "NOT_FOUND" | "INVALID_KEY" | "INVALID_KEYSTORE" | "CANCELLED" | "MISMATCH",
    message: string,
  ) {
    super(message);
    this.name = "WalletError";
  }
}

function passwordOrKeystoreError(e: unknown): WalletError {
  return e instanceof KeystorePasswordError
    ? new WalletError("WRONG_PASSWORD", i18n.global.t("wallet.wrongPassword"))
    : new WalletError("INVALID_KEYSTORE", i18n.global.t("wallet.invalidKeystore"));
}

interface UnlockRequest {
  address: string;
  resolve: (w: KeyWallet) => void;
  reject: (e: Error) => void;
}

export const useWalletStore = defineStore("wallet", () => {
  const keys = ref<StoredKey[]>(loadKeys());
  const unlockedAddress = ref<string | null>(null);
  const busy = ref(false);
  /** A pending password prompt, answered by `UnlockDialog`. */
  const unlockRequest = shallowRef<UnlockRequest | null>(null);

  const isUnlocked = computed(() => unlockedAddress.value !== null);

  function persist(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keys.value));
  }

  function find(address: string): StoredKey | undefined {
    const a = address.toLowerCase();
    return keys.value.find((k) => k.address.toLowerCase() === a);
  }

  function remember(address: string, keystore: string, label: string): void {
    const entry: StoredKey = {
      address: getAddress(address),
      label: label.trim(),
      createdAt: Date.now(),
      keystore,
    };
    const rest = keys.value.filter((k) => k.address.toLowerCase() !== entry.address.toLowerCase());
    keys.value = [entry, ...rest];
    persist();
  }

  function setUnlocked(w: KeyWallet): void {
    unlocked = w;
    unlockedAddress.value = getAddress(w.address);
  }

  async function withBusy<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await fn();
    } finally {
      busy.value = false;
    }
  }

  /** Makes a new key, stores it encrypted with `password`, and keeps it unlocked. */
  async function create(password: string, label = ""): Promise<string> {
    return withBusy(async () => {
      const w = createKey();
      const json = await encryptKey(w, password);
      remember(w.address, json, label);
      setUnlocked(w);
      return getAddress(w.address);
    });
  }

  async function importPrivateKey(privateKey: string, password: string, label = ""): Promise<string> {
    let w: KeyWallet;
    try {
      w = keyFromPrivateKey(privateKey);
    } catch {
      throw new WalletError("INVALID_KEY", i18n.global.t("wallet.invalidPrivateKey"));
    }
    return withBusy(async () => {
      const json = await encryptKey(w, password);
      remember(w.address, json, label);
      setUnlocked(w);
      return getAddress(w.address);
    });
  }

  async function importKeystore(json: string, password: string, label = ""): Promise<string> {
    if (!keystoreAddress(json))
      throw new WalletError("INVALID_KEYSTORE", i18n.global.t("wallet.invalidKeystore"));
    return withBusy(async () => {
      let w: KeyWallet;
      try {
        w = await decryptKey(json, password);
      } catch (e) {
        throw passwordOrKeystoreError(e);
      }
      remember(w.address, json, label);
      setUnlocked(w);
      return getAddress(w.address);
    });
  }

  async function unlock(address: string, password: string): Promise<KeyWallet> {
    const entry = find(address);
    if (!entry) throw new WalletError("NOT_FOUND", i18n.global.t("wallet.keyNotFound"));
    return withBusy(async () => {
      let w: KeyWallet;
      try {
        w = await decryptKey(entry.keystore, password);
      } catch (e) {
        throw passwordOrKeystoreError(e);
      }
      if (w.address.toLowerCase() !== entry.address.toLowerCase()) {
        throw new WalletError("MISMATCH", i18n.global.t("wallet.keyMismatch"));
      }
      setUnlocked(w);
      return w;
    });
  }

  function lock(): void {
    unlocked = null;
    unlockedAddress.value = null;
  }

  function remove(address: string): void {
    keys.value = keys.value.filter((k) => k.address.toLowerCase() !== address.toLowerCase());
    persist();
    if (unlockedAddress.value?.toLowerCase() === address.toLowerCase()) lock();
  }

  /** Names an unnamed key (e.g. with the member's name once known). */
  function labelIfUnnamed(address: string, label: string): void {
    const entry = find(address);
    if (!entry || entry.label || !label.trim()) return;
    entry.label = label.trim();
    persist();
  }

  function keystoreOf(address: string): string | null {
    return find(address)?.keystore ?? null;
  }

  /** The unlocked key for `address`, asking for the password (UnlockDialog) when it is locked. */
  async function signer(address: string): Promise<KeyWallet> {
    if (unlocked && unlocked.address.toLowerCase() === address.toLowerCase()) return unlocked;
    if (!find(address)) throw new WalletError("NOT_FOUND", i18n.global.t("wallet.keyNotFound"));
    unlockRequest.value?.reject(new WalletError("CANCELLED", i18n.global.t("wallet.cancelled")));
    return new Promise<KeyWallet>((resolve, reject) => {
      unlockRequest.value = { address, resolve, reject };
    });
  }

  /** Called by UnlockDialog. */
  async function answerUnlock(password: string): Promise<void> {
    const req = unlockRequest.value;
    if (!req) return;
    const w = await unlock(req.address, password);
    unlockRequest.value = null;
    req.resolve(w);
  }

  function cancelUnlock(): void {
    const req = unlockRequest.value;
    unlockRequest.value = null;
    req?.reject(new WalletError("CANCELLED", i18n.global.t("wallet.cancelled")));
  }

  /** The private key of the unlocked wallet, for the user's own backup. */
  function exportPrivateKey(): string | null {
    return unlocked?.privateKey ?? null;
  }

  return {
    keys,
    unlockedAddress,
    isUnlocked,
    busy,
    unlockRequest,
    create,
    importPrivateKey,
    importKeystore,
    unlock,
    lock,
    remove,
    labelIfUnnamed,
    keystoreOf,
    signer,
    answerUnlock,
    cancelUnlock,
    exportPrivateKey,
  };
});
