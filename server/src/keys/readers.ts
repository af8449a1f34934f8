import { ESCROW_READER, type VersionReaders } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import type { EmrRecord } from "../generated/prisma/client.ts";
import { statusWhere } from "../consent/grants.ts";
import { ROLE_CODES } from "../members/codes.ts";
import { publicKeysOf } from "./account-keys.ts";

// Who a new record version must be readable by, so the writer's client wraps its content key for
// exactly them: the patient, their active guardians, the writing doctor (and the record's attending
// doctor), members with an active grant covering the record, the doctors of a hospital grantee
// (policy `hospital:<address>`), the patient's policy grants, and the break-glass escrow key.
// A revoked or expired grantee is not among them: that is what keeps them out of later versions.

export interface RecordReaderSet {
  readers: VersionReaders;
  /** Reader ids the draft must carry a wrap for: the patient, the writing doctor, the escrow key. */
  required: string[];
}

export const hospitalPolicy = (hospital: string) => `hospital:${hospital.toLowerCase()}`;

/** Readers of the next version of a record (or of a new one: no recordId, no category yet). */
export async function readersOf(
  ctx: AppContext,
  r: { patient: string; author: string; attendingDoctor?: string; recordId?: string; category?: string | null },
): Promise<RecordReaderSet> {
  const { prisma } = ctx;
  const now = BigInt(Date.now());
  const scopes = [r.recordId, r.category].filter((s): s is string => !!s);
  const [delegations, grants] = await Promise.all([
    prisma.delegation.findMany({
      where: { patient: r.patient, revoked: false, validFrom: { lte: now }, validUntil: { gte: now } },
      select: { delegate: true },
    }),
    scopes.length
      ? prisma.consentGrant.findMany({
          where: { patient: r.patient, scope: { in: scopes }, ...statusWhere("active") },
          select: { grantee: true },
        })
      : Promise.resolve([]),
  ]);
  const grantees = [...new Set(grants.map((g) => g.grantee))];
  const [members, policies] = await Promise.all([
    prisma.member.findMany({ where: { address: { in: grantees } }, select: { address: true, role: true } }),
    prisma.policyGrantee.findMany({ where: { grantee: { in: grantees } } }),
  ]);
  const policyAccounts = new Set(policies.map((p) => p.grantee));
  const ids = [
    r.patient,
    r.author,
    ...(r.attendingDoctor ? [r.attendingDoctor] : []),
    ...delegations.map((d) => d.delegate),
    // Members and regulators alike: anyone granted in person who has signed in has a key.
    ...grantees.filter((g) => !policyAccounts.has(g)),
  ];
  return {
    readers: await readersWithKeys(ctx, ids, [
      ...members.filter((m) => m.role === ROLE_CODES.hospital).map((m) => hospitalPolicy(m.address)),
      ...policies.map((p) => p.policy),
    ]),
    required: [r.patient, r.author, ESCROW_READER],
  };
}

/** Readers of the version after `record`'s current one, written by `author`. */
export function readersOfNextVersion(ctx: AppContext, record: EmrRecord, author: string): Promise<RecordReaderSet> {
  return readersOf(ctx, {
    patient: record.patient,
    author,
    attendingDoctor: record.doctor,
    recordId: record.recordId,
    category: record.category,
  });
}

/** Readers for one grantee, to give them the keys of versions already written: a member's key (a
 *  hospital's also reaches its doctors through `hospital:<address>`), or a policy grant's policy. */
export async function granteeReaders(ctx: AppContext, grantee: string): Promise<VersionReaders> {
  const [member, policy] = await Promise.all([
    ctx.prisma.member.findUnique({ where: { address: grantee }, select: { role: true } }),
    ctx.prisma.policyGrantee.findUnique({ where: { grantee } }),
  ]);
  if (policy) return readersWithKeys(ctx, [], [policy.policy], false);
  const policies = member?.role === ROLE_CODES.hospital ? [hospitalPolicy(grantee)] : [];
  return readersWithKeys(ctx, [grantee], policies, false);
}

async function readersWithKeys(
  ctx: AppContext,
  ids: string[],
  policies: string[],
  withEscrow = true,
): Promise<VersionReaders> {
  const keys = await publicKeysOf(ctx, ids);
  const readers = [...new Set(ids)].filter((id) => keys.has(id)).map((id) => ({ id, publicKey: keys.get(id)! }));
  if (withEscrow) readers.push({ id: ESCROW_READER, publicKey: ctx.keys.escrowPublicKey });
  return { keys: readers, policies: [...new Set(policies)], abePublicKey: ctx.keys.abePublicKey };
}
