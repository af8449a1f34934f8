/**
 * After a grant is accepted, the patient's browser gives the grantee the content keys of the
 * versions the grant covers: for each version it opens its own wrap and wraps the same key for the
 * grantee (a member's key; a hospital's doctors' policy `hospital:<address>`; a policy grant's
 * policy). The server only stores the new wraps; it never holds a content key.
 */
import { unwrapContentKey, wrapContentKey, type RecordKeyWrap } from "@/lib/sdk-keys";
import { emrApi } from "./emr";
import { keysApi } from "./keys";
import { recordHistoryApi } from "./record-history";
import { readerKeys } from "./sealed";
import type { EmrRecord } from "./types";
import { i18n } from "@/locales";

/** A grant's scope as stored on chain: the record id, or the category's hash (keccak256("category:<name>")). */
export interface ShareScope {
  kind: "record" | "category";
  scope: string;
}

/** The patient's records that are not deleted. */
async function liveRecordsOf(patient: string): Promise<EmrRecord[]> {
  const records: EmrRecord[] = [];
  for (let page = 1; ; page++) {
    const p = await emrApi.records({ patient, page, pageSize: 100 }, true);
    records.push(...p.items);
    if (p.items.length === 0 || records.length >= p.total) break;
  }
  return records.filter((r) => !r.deleted);
}

/** The patient's records a grant covers: the record itself, or those of the category (not deleted). */
async function recordsInScope(patient: string, { kind, scope }: ShareScope): Promise<string[]> {
  if (kind === "record") return [scope];
  return (await liveRecordsOf(patient))
    .filter((r) => r.category?.toLowerCase() === scope.toLowerCase())
    .map((r) => r.recordId);
}

/** Wraps every version's key of one record for the grantee and posts them; answers how many versions. */
async function shareRecord(recordId: string, readers: Awaited<ReturnType<typeof keysApi.granteeReaders>>) {
  const keys = await readerKeys();
  const history = await recordHistoryApi.versions(recordId, true);
  const wraps: Array<{ version: number } & RecordKeyWrap> = [];
  for (const { version } of history.items) {
    const { content } = await recordHistoryApi.sealedVersion(recordId, version);
    const key = await unwrapContentKey(content.wraps, recordId, version, keys);
    for (const w of await wrapContentKey(key, recordId, version, readers)) wraps.push({ version, ...w });
  }
  if (wraps.length) await keysApi.shareKeys(recordId, wraps);
  return history.items.length;
}

/** Gives `grantee` the keys of every version in `scope`; answers how many records and versions. */
export async function shareGrantKeys(
  patient: string,
  scope: ShareScope,
  grantee: string,
): Promise<{ records: number; versions: number }> {
  return shareKeysOf(recordsInScope(patient, scope), grantee);
}

/** A new guardian reads every record of the patient: gives them the keys of all versions written so far
 *  (versions written later are wrapped for them, as an active guardian, by the writer's client). */
export async function shareGuardianKeys(patient: string, guardian: string): Promise<{ records: number; versions: number }> {
  return shareKeysOf(
    liveRecordsOf(patient).then((records) => records.map((r) => r.recordId)),
    guardian,
  );
}

async function shareKeysOf(
  recordIdsOf: Promise<string[]>,
  grantee: string,
): Promise<{ records: number; versions: number }> {
  const [recordIds, readers] = await Promise.all([recordIdsOf, keysApi.granteeReaders(grantee)]);
  // A member's public key is learned from their sign-in signature: one who never signed in has none yet.
  if (!readers.keys.length && !readers.policies.length)
    throw new Error(i18n.global.t("privacy.grants.granteeNoKey"));
  let versions = 0;
  for (const recordId of recordIds) versions += await shareRecord(recordId, readers);
  return { records: recordIds.length, versions };
}
