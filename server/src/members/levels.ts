import { hospitalLevelTypedData } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { conflict, notFound } from "../http/errors.ts";
import { Address, SignedFields } from "../http/schemas.ts";
import { ROLE_CODES, STATUS_APPROVED, STATUS_NAMES } from "./codes.ts";
import { namesOf } from "./views.ts";

// A hospital's level (一级, 二级, 三级), set by an alliance admin's signed HospitalLevel. The level decides
// the hospital's initial evaluation score (HospitalScore.initialize).

export const LEVEL_NAMES: Readonly<Record<number, { zh: string; en: string }>> = {
  1: { zh: "一级", en: "level 1" },
  2: { zh: "二级", en: "level 2" },
  3: { zh: "三级", en: "level 3" },
};

export const LevelNameSchema = z.object({ zh: z.string(), en: z.string() }).meta({ id: "HospitalLevelName" });

export const levelNameOf = (level: number | null | undefined) =>
  level ? (LEVEL_NAMES[level] ?? null) : null;

const HospitalLevelSchema = z
  .object({
    hospital: z.string(),
    name: z.string().nullable(),
    level: z.number().int(),
    levelName: LevelNameSchema,
    previousLevel: z
      .number()
      .int()
      .nullable()
      .meta({ description: "null when the level was not set before" }),
    txHash: z.string(),
  })
  .meta({ id: "HospitalLevel" });

export function registerLevelRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/members/:address/level",
    summary: "Set a hospital's level (alliance admin)",
    description:
      "The admin signs an EIP-712 `HospitalLevel {hospital, level, nonce, deadline}` in the AllianceRegistry domain " +
      "(levels: 1 一级, 2 二级, 3 三级); the alliance's account relays it. The hospital must be approved.",
    tags: ["members"],
    auth: true,
    params: z.object({ address: Address }),
    body: SignedFields.extend({
      level: z.number().int().min(1, "must be 1, 2 or 3").max(3, "must be 1, 2 or 3"),
    }),
    response: HospitalLevelSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const resource = `member:${params.address}`;
      await audit.authorize(session, "member.set-level", resource, {}, requestId);
      const hospital = await prisma.member.findUnique({ where: { address: params.address } });
      if (!hospital || hospital.role !== ROLE_CODES.hospital) throw notFound("hospital");
      if (hospital.status !== STATUS_APPROVED)
        throw conflict(`the hospital is ${STATUS_NAMES[hospital.status]}, not approved`);
      checkDeadline(body.deadline);
      const typed = hospitalLevelTypedData(domainFor(ctx, "AllianceRegistry"), {
        hospital: params.address,
        level: body.level,
        nonce: body.nonce,
        deadline: body.deadline,
      });
      expectSigner(typed, body.signature, session!.address);
      const receipt = await relay(ctx, "AllianceRegistry", "setHospitalLevel", [
        params.address,
        body.level,
        body.nonce,
        body.deadline,
        body.signature,
      ]);
      await audit.allowed(session, "member.set-level", resource, requestId, `level ${body.level}`);
      const names = await namesOf(ctx, [params.address]);
      return {
        hospital: params.address,
        name: names.get(params.address) ?? null,
        level: body.level,
        levelName: LEVEL_NAMES[body.level]!,
        previousLevel: hospital.level ?? null,
        txHash: receipt.transactionHash,
      };
    },
  });
}
