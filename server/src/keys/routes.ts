import { type RecordKeyWrap } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { patientFacts } from "../access/facts.ts";
import { recordToActOn, recordToCorrect } from "../emr/records.ts";
import { ApiError, badRequest } from "../http/errors.ts";
import { Address, Bytes32 } from "../http/schemas.ts";
import { attributeKeyFor } from "./attributes.ts";
import { granteeReaders, readersOf, readersOfNextVersion } from "./readers.ts";
import { checkWraps, KeyWrapInput, wrapRows } from "./wraps.ts";

// Keys for end-to-end record encryption: whom a writer's client wraps a version's content key for,
// the attribute key of a member, and the patient's client giving a new grantee the keys of versions
// already written.

const ReaderSchema = z.object({ id: z.string(), publicKey: z.string() });
const VersionReadersSchema = z
  .object({
    keys: z.array(ReaderSchema).meta({ description: "Members (by address) and the break-glass escrow key (id `escrow`)" }),
    policies: z.array(z.string()).meta({ description: "CP-ABE policies to wrap for" }),
    abePublicKey: z.record(z.string(), z.unknown()).optional().meta({ description: "The alliance's CP-ABE public key" }),
  })
  .meta({ id: "VersionReaders" });

const RecordId = z.object({ recordId: Bytes32 });

/** The sdk's key objects are the JSON the response schemas describe (their types lack index signatures). */
const asJson = <T>(value: T) => value as never;

export function registerKeyRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/keys/readers",
    summary: "Whom a new record for a patient must be encrypted for (doctor)",
    description:
      "The patient, their active guardians, the calling doctor and the break-glass escrow key, with their public keys " +
      "(learned from sign-in signatures). Wrap the new record's content key for each (sdk sealRecordVersion).",
    tags: ["keys"],
    auth: true,
    query: z.object({ patient: Address }),
    response: VersionReadersSchema,
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "emr.draft.create", `patient:${query.patient}`, {}, requestId);
      return asJson((await readersOf(ctx, { patient: query.patient, author: session!.address })).readers);
    },
  });

  api.route({
    method: "get",
    path: "/emr/records/:recordId/readers",
    summary: "Whom the record's next version must be encrypted for (a doctor who may correct it)",
    description:
      "The patient, their guardians, the attending and the calling doctor, members with an active grant covering the " +
      "record, the doctors of a hospital grantee (policy `hospital:<address>`), the patient's policy grants and the " +
      "escrow key. A revoked or expired grantee is not listed, so the next version is never wrapped for them.",
    tags: ["keys"],
    auth: true,
    params: RecordId,
    response: VersionReadersSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const record = await recordToCorrect(ctx, session, params.recordId, requestId);
      return asJson((await readersOfNextVersion(ctx, record, session!.address)).readers);
    },
  });

  api.route({
    method: "get",
    path: "/keys/grantee-readers",
    summary: "How to wrap keys for one grantee",
    description:
      "A member's public key (a hospital's with its doctors' policy `hospital:<address>`), or the policy behind a policy " +
      "grant's account. The patient's client wraps the keys of the versions a new grant covers with these.",
    tags: ["keys"],
    auth: true,
    query: z.object({ grantee: Address }),
    response: VersionReadersSchema,
    handler: async ({ query }) => asJson(await granteeReaders(ctx, query.grantee)),
  });

  api.route({
    method: "get",
    path: "/keys/attribute-key",
    summary: "My CP-ABE attribute key, sealed to my public key",
    description:
      "Issued by the alliance's key authority for the attributes it attests now: a doctor's role, hospital and its " +
      "level, and once certified `certified:yes` and the department; a hospital's role, address and level; a " +
      "regulator's role. Open `sealed` with the sdk's openSealedForMember(privateKey, sealed, " +
      '"yyl/abe-user-key:" + address). 404 NO_ATTRIBUTE_KEY for members with no attributes (patients, applicants).',
    tags: ["keys"],
    auth: true,
    response: z.object({
      attributes: z.array(z.string()),
      abePublicKey: z.record(z.string(), z.unknown()),
      sealed: z.object({ envelope: z.string(), wrapped: z.record(z.string(), z.unknown()) }),
    }),
    errors: [404],
    handler: async ({ session, requestId }) => {
      const issued = await attributeKeyFor(ctx, session!);
      if (!issued) throw new ApiError(404, "NO_ATTRIBUTE_KEY", "no attributes are attested for you, so no attribute key is issued");
      await audit.allowed(session, "keys.attribute-key", `member:${session!.address}`, requestId, issued.attributes.join(" "));
      return asJson({ attributes: issued.attributes, abePublicKey: ctx.keys.abePublicKey, sealed: issued.sealed });
    },
  });

  api.route({
    method: "post",
    path: "/emr/records/:recordId/keys",
    summary: "Give a record's current readers the keys of its versions (patient or guardian)",
    description:
      "After a grant, the patient's client unwraps each version's content key and wraps it for the new grantee (see " +
      "GET /keys/grantee-readers). Only readers the record has now are accepted; a wrap already stored for a reader " +
      "is kept as it is.",
    tags: ["keys"],
    auth: true,
    params: RecordId,
    body: z.object({
      wraps: z.array(z.intersection(z.object({ version: z.number().int().min(1) }), KeyWrapInput)).min(1).max(500),
    }),
    response: z.object({ added: z.number(), kept: z.number() }),
    errors: [403, 404],
    handler: async ({ params, body, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "consent.grant",
        (r) => patientFacts(ctx, session, r.patient),
        requestId,
      );
      const versions = await prisma.emrRecordVersion.findMany({
        where: { recordId: record.recordId, version: { in: body.wraps.map((w) => w.version) } },
      });
      const pointerOf = new Map(versions.map((v) => [v.version, v.storagePointer]));
      const unknown = body.wraps.findIndex((w) => !pointerOf.has(w.version));
      if (unknown >= 0)
        throw badRequest("no such version", [{ path: `wraps.${unknown}.version`, message: `the record has no version ${body.wraps[unknown]!.version}` }]);
      const { readers } = await readersOf(ctx, {
        patient: record.patient,
        author: record.doctor,
        recordId: record.recordId,
        category: record.category,
      });
      const wraps = body.wraps.map(({ version: _v, ...w }) => w as RecordKeyWrap);
      await checkWrapsPerVersion(body.wraps, readers);
      const rows = body.wraps.flatMap((w, i) => wrapRows(pointerOf.get(w.version)!, [wraps[i]!], session!.address));
      const { count } = await prisma.emrKeyWrap.createMany({ data: rows, skipDuplicates: true });
      await audit.allowed(session, "consent.grant", `record:${record.recordId}`, requestId, `${count} content keys shared`);
      return { added: count, kept: rows.length - count };
    },
  });

  /** checkWraps per version, so that one reader may have a wrap in each version but not two in one. */
  async function checkWrapsPerVersion(all: { version: number }[], readers: Awaited<ReturnType<typeof readersOf>>["readers"]) {
    const byVersion = new Map<number, number[]>();
    all.forEach((w, i) => byVersion.set(w.version, [...(byVersion.get(w.version) ?? []), i]));
    for (const indexes of byVersion.values()) {
      try {
        await checkWraps(indexes.map((i) => all[i] as unknown as RecordKeyWrap), readers, "wraps");
      } catch (e) {
        // Name the wraps by their place in the request, not in the version's group.
        if (e instanceof ApiError && e.details)
          for (const d of e.details) d.path = d.path.replace(/^wraps\.(\d+)/, (_m, j: string) => `wraps.${indexes[Number(j)]}`);
        throw e;
      }
    }
  }
}
