/**
 * The signed-in session: JWT, who the server says we are, and the roles that gate routes and UI.
 * Kept in sessionStorage (per tab) so a reload stays signed in; the key itself stays locked until
 * the next signature asks for the password.
 */
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { authApi } from "@/api/auth";
import { configureClient } from "@/api/client";
import type { Session, SessionRole } from "@/api/types";
import { signSignIn } from "@/lib/sdk";
import { useWalletStore } from "./wallet";

const STORAGE_KEY = "yyl.session.v1";

interface Persisted {
  token: string;
  expiresAt: number;
  session: Session;
}

function load(): Persisted | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Persisted;
    if (!p.token || !p.session || (p.expiresAt && p.expiresAt < Date.now())) return null;
    return p;
  } catch {
    return null;
  }
}

export const useSessionStore = defineStore("session", () => {
  const initial = load();
  const token = ref<string | null>(initial?.token ?? null);
  const expiresAt = ref<number>(initial?.expiresAt ?? 0);
  const session = ref<Session | null>(initial?.session ?? null);
  /** Whether `/auth/me` confirmed the stored session since the page loaded. */
  const verified = ref(false);

  const isSignedIn = computed(
    () => !!token.value && !!session.value && (!expiresAt.value || expiresAt.value > Date.now()),
  );
  const address = computed(() => session.value?.address ?? null);
  const roles = computed<SessionRole[]>(() => session.value?.roles ?? []);
  const member = computed(() => session.value?.member ?? null);
  /** Roles that come with an approved membership (everything but "applicant"). */
  const memberRoles = computed(() => roles.value.filter((r) => r !== "applicant"));

  function hasRole(...wanted: SessionRole[]): boolean {
    return wanted.some((r) => roles.value.includes(r));
  }

  function persist(): void {
    if (session.value?.member?.name)
      useWalletStore().labelIfUnnamed(session.value.address, session.value.member.name);
    if (token.value && session.value) {
      sessionStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ token: token.value, expiresAt: expiresAt.value, session: session.value }),
      );
    } else {
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }

  function clear(): void {
    token.value = null;
    session.value = null;
    expiresAt.value = 0;
    verified.value = false;
    persist();
  }

  /** Challenge → personal_sign with the unlocked key → session. */
  async function signIn(addr: string): Promise<Session> {
    const wallet = useWalletStore();
    const key = await wallet.signer(addr);
    const challenge = await authApi.challenge(key.address);
    const signature = await signSignIn(key, challenge.message);
    const res = await authApi.session({ address: challenge.address, nonce: challenge.nonce, signature });
    token.value = res.token;
    expiresAt.value = res.expiresAt;
    session.value = res.session;
    verified.value = true;
    persist();
    return res.session;
  }

  /** Re-reads roles and membership (after applying, after a decision). */
  async function refresh(): Promise<Session | null> {
    if (!token.value) return null;
    try {
      session.value = await authApi.me();
      verified.value = true;
      persist();
    } catch (e) {
      if ((e as { status?: number }).status === 401) clear();
      else throw e;
    }
    return session.value;
  }

  function signOut(): void {
    clear();
    useWalletStore().lock();
  }

  return {
    token,
    expiresAt,
    session,
    verified,
    isSignedIn,
    address,
    roles,
    member,
    memberRoles,
    hasRole,
    signIn,
    refresh,
    clear,
    signOut,
  };
});

/** Wires the HTTP client to this store; called once at start-up after Pinia is installed. */
export function connectClientToSession(onUnauthorized: () => void): void {
  const store = useSessionStore();
  configureClient({
    token: () => store.token,
    onUnauthorized: () => {
      store.clear();
      onUnauthorized();
    },
  });
}
