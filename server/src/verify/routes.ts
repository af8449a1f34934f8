import { z } from "zod";
import type { AppContext } from "../context.ts";
import { sendTx } from "../chain/chain.ts";
import { granteesOf, patientFacts, recordFacts } from "../access/facts.ts";
import { notFound } from "../http/errors.ts";
import { Address, Bytes32 } from "../http/schemas.ts";
import { auditDetail, VerificationSchema } from "./checks.ts";
import { registerFieldVerifyRoutes } from "./field.ts";
import { verifyGrant } from "./grant.ts";
import { chainRecordOf, verifyRecord } from "./record.ts";
import { registerRunRoutes } from "./run-routes.ts";
import { chainScoreOf, verifyScore } from "./score.ts";
import { chainVisitOf, verifyVisit } from "./visit.ts";

// Checking one subject against the chain on demand. Each answers the same Verification shape; the
// caller must be allowed to see the subject (the record, visit or grant policy), and the check itself
// is audited with the names of any failed checks.

/** The record endpoint keeps the fields its first clients read. */
const RecordVerificationSchema = VerificationSchema.extend({
  recordId: z.string().meta({ description: "Same as `id`" }),
  verified: z.boolean().meta({ description: "Same as `ok`" }),
}).meta({ id: "RecordVerification" });

const COMMON =
  "Answers every check with the mirror's value and the chain's; a mismatch is looked at again once the mirror has caught up with the chain's head.";

export function registerVerifyRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/verify/records/:recordId",
    summary: "Check a record's mirror row and stored ciphertext against the chain",
    description: `Recomputes the content hash from the stored ciphertext and compares every mirrored field with EmrRegistry. ${COMMON}`,
    tags: ["verify"],
    auth: true,
    params: z.object({ recordId: Bytes32 }),
    response: RecordVerificationSchema,
    errors: [403, 404, 502],
    handler: async ({ params, session, requestId }) => {
      const resource = `record:${params.recordId}`;
      const row = await prisma.emrRecord.findUnique({ where: { recordId: params.recordId } });
      // A record the indexer has not mirrored yet is judged by what the chain says about it.
      const onChain = row ? null : await sendTx(() => chainRecordOf(ctx, params.recordId));
      const facts = row
        ? await recordFacts(ctx, session, row)
        : { owner: onChain?.patient, doctor: onChain?.doctor, hospital: onChain?.hospital };
      await audit.authorize(session, "emr.record.verify", resource, facts, requestId);
      if (!row && !onChain) throw notFound("record");
      const v = await verifyRecord(ctx, params.recordId);
      await audit.allowed(session, "emr.record.verify", resource, requestId, auditDetail(v));
      return { ...v, recordId: v.id, verified: v.ok };
    },
  });

  api.route({
    method: "get",
    path: "/verify/visits/:visitId",
    summary: "Check a visit and its care steps against the chain",
    description: `Compares the mirrored visit and steps with CareProcess.visitOf / stepOf, and recomputes each step's content hash from the text kept off chain where there is one. ${COMMON}`,
    tags: ["verify"],
    auth: true,
    params: z.object({ visitId: Bytes32 }),
    response: VerificationSchema,
    errors: [403, 404, 502],
    handler: async ({ params, session, requestId }) => {
      const resource = `visit:${params.visitId}`;
      const row = await prisma.visit.findUnique({ where: { visitId: params.visitId } });
      const onChain = row ? null : await sendTx(() => chainVisitOf(ctx, params.visitId));
      const subject = row ?? onChain;
      await audit.authorize(
        session,
        "visit.read",
        resource,
        await patientFacts(ctx, session, subject?.patient, { hospital: subject?.hospital }),
        requestId,
      );
      if (!subject) throw notFound("visit");
      const v = await verifyVisit(ctx, params.visitId);
      await audit.allowed(session, "visit.read", resource, requestId, auditDetail(v));
      return v;
    },
  });

  api.route({
    method: "get",
    path: "/verify/grants/:grantId",
    summary: "Check a grant against the chain",
    description:
      "Compares the mirrored grant with ConsentManager.grantOf(patient, scope, grantee), checks that its id is " +
      `keccak256(patient, scope, grantee), and reports its current version (one per grant or revocation). ${COMMON}`,
    tags: ["verify"],
    auth: true,
    params: z.object({ grantId: Bytes32 }),
    response: VerificationSchema,
    errors: [403, 404, 502],
    handler: async ({ params, session, requestId }) => {
      const resource = `grant:${params.grantId}`;
      const row = await prisma.consentGrant.findUnique({ where: { grantId: params.grantId } });
      // The grantee (or, for a doctor, their hospital) of the grant may check it whatever its state.
      const isGrantee = !!row && !!session && granteesOf(session).includes(row.grantee);
      const grantLevel = isGrantee ? Math.max(1, row.level) : 0;
      const facts = await patientFacts(ctx, session, row?.patient, { grantLevel });
      await audit.authorize(session, "consent.read", resource, facts, requestId);
      if (!row) throw notFound("grant");
      const v = await verifyGrant(ctx, params.grantId);
      await audit.allowed(session, "consent.read", resource, requestId, auditDetail(v));
      return v;
    },
  });

  api.route({
    method: "get",
    path: "/verify/hospitals/:address/score",
    summary: "Check a hospital's score against the chain",
    description:
      "Compares the mirrored score with HospitalScore.scoreOf, and recomputes it from the mirrored history: the initial " +
      `score of the hospital's level, then each adjustment and feedback (rating − 3), clamped to 0–1000 after each. ${COMMON}`,
    tags: ["verify"],
    auth: true,
    params: z.object({ address: Address }),
    response: VerificationSchema,
    errors: [403, 404, 502],
    handler: async ({ params, session, requestId }) => {
      const resource = `score:${params.address}`;
      await audit.authorize(session, "score.read", resource, {}, requestId);
      const row = await prisma.hospitalScore.findUnique({ where: { hospital: params.address } });
      if (!row && !(await sendTx(() => chainScoreOf(ctx, params.address))).initialized)
        throw notFound("hospital score");
      const v = await verifyScore(ctx, params.address);
      await audit.allowed(session, "score.read", resource, requestId, auditDetail(v));
      return v;
    },
  });

  registerRunRoutes(ctx);
  registerFieldVerifyRoutes(ctx);
}
