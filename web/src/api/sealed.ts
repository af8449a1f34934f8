/**
 * Record content is sealed and opened here, in the browser, with the user's own keys: the server
 * answers `content: {envelope, wraps}` and never sees a content key. The api modules call `openAs`
 * so that pages keep receiving a plain `bundle`.
 *
 * A reader's keys are their secp256k1 key (from the wallet; it may ask for the password) and, for
 * doctors, hospitals and regulators, the CP-ABE attribute key the alliance issues sealed to that
 * key. The attribute key is kept in memory for the session only, never stored.
 */
import { getAddress } from "ethers";
import { useSessionStore } from "@/stores/session";
import { useWalletStore } from "@/stores/wallet";
import { i18n } from "@/locales";
import {
  NoKeyForReaderError,
  openAttributeKey,
  openRecordVersion,
  recordIdOf,
  sealContent,
  type AbeUserKeyJson,
  type ContentInput,
  type ReaderKeys,
  type SealedContent,
  type VersionReaders,
} from "@/lib/sdk-keys";
import { ApiError, toApiError } from "./client";
import { keysApi } from "./keys";
import type { FhirBundle } from "./types";

export const NO_KEY_FOR_READER = "NO_KEY_FOR_READER";

/** "This version was not encrypted for you", in the portal's language (the server's text is English). */
export function noKeyForReader(): ApiError {
  return new ApiError(403, NO_KEY_FOR_READER, i18n.global.t("error.noKeyForReader"));
}

/** The attribute key of the current session: one request per session, shared by concurrent reads. */
let attributeKey: { session: string; key: Promise<AbeUserKeyJson | null> } | null = null;

async function fetchAttributeKey(address: string, privateKey: string): Promise<AbeUserKeyJson | null> {
  try {
    const issued = await keysApi.attributeKey();
    return await openAttributeKey(privateKey, issued.sealed, address);
  } catch (e) {
    if (toApiError(e).code === "NO_ATTRIBUTE_KEY") return null;
    throw e;
  }
}

/** The signed-in user's keys; `fresh` asks the server for the attribute key again (attributes change
 *  when a doctor is certified or a hospital's level is set). */
export async function readerKeys(fresh = false): Promise<ReaderKeys> {
  const session = useSessionStore();
  if (!session.address) throw new Error(i18n.global.t("error.notSignedIn"));
  const address = getAddress(session.address);
  const wallet = await useWalletStore().signer(address);
  const id = `${address}|${session.token ?? ""}`;
  if (fresh || attributeKey?.session !== id) {
    const key = fetchAttributeKey(address, wallet.privateKey);
    attributeKey = { session: id, key };
    // A failed request is not kept: the next read asks again.
    key.catch(() => {
      if (attributeKey?.key === key) attributeKey = null;
    });
  }
  return { address, privateKey: wallet.privateKey, abeUserKey: await attributeKey!.key };
}

/** Forgets the attribute key (on sign-out). */
export function forgetReaderKeys(): void {
  attributeKey = null;
}

/**
 * Opens one version's content with the user's keys. No wrap the user can open → the 403
 * NO_KEY_FOR_READER the server gives in the same case, with the portal's own words. A held
 * attribute key may be out of date, so one more try is made with a fresh one first.
 */
export async function openContent(
  content: SealedContent,
  recordId: string,
  version: number,
): Promise<FhirBundle> {
  let keys = await readerKeys();
  for (let attempt = 0; ; attempt++) {
    try {
      return (await openRecordVersion(content, recordId, version, keys)) as FhirBundle;
    } catch (e) {
      if (!(e instanceof NoKeyForReaderError)) throw e;
      const hasPolicyWrap = content.wraps.some((w) => w.kind === "abe");
      if (attempt > 0 || !hasPolicyWrap) throw noKeyForReader();
      keys = await readerKeys(true);
    }
  }
}

/** An answer carrying `content`, with the content opened into `bundle` instead. */
export async function openAs<T extends { content: SealedContent }>(
  answer: T,
  recordId: string,
  version: number,
): Promise<Omit<T, "content"> & { bundle: FhirBundle }> {
  const { content, ...rest } = answer;
  return { ...rest, bundle: await openContent(content, recordId, version) };
}

/** A new record sealed by the writing doctor: its creation time fixes its id (with the patient). */
export async function sealNewRecord(
  bundle: FhirBundle,
  patient: string,
  readers: VersionReaders,
  createdAt = Date.now(),
): Promise<{ createdAt: number; recordId: string; content: ContentInput }> {
  const recordId = recordIdOf(createdAt, patient);
  return { createdAt, recordId, content: await sealContent(bundle, recordId, 1, readers) };
}
