import { DEPARTMENTS } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { patientFacts } from "../access/facts.ts";
import { notFound } from "../http/errors.ts";
import { Address } from "../http/schemas.ts";
import { ROLE_CODES } from "../members/codes.ts";
import { namesOf } from "../members/views.ts";
import { NO_DEPARTMENT, recommendationModel } from "./model.ts";

// Doctor recommendations for patients (智能推荐): the blended slope-one / user-CF model over visit
// feedback (model.ts), top-N of a department. Doctors the patient already rated are left out: the
// page is for finding a new doctor, and the patient knows the ones they saw. Patients with no feedback,
// or with fewer predictions than asked for, get the rest by hospital score (cold start).

const DepartmentCode = z.enum(DEPARTMENTS.map((d) => d.code) as [string, ...string[]], {
  error: "must be a department code of the sdk list",
});

const RecommendationQuery = z.object({
  patient: Address.optional().meta({ description: "the patient (default: the caller)" }),
  department: DepartmentCode.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const Basis = z.enum(["blend", "slope-one", "user-cf", "cold-start"]);

export const DoctorRecommendationSchema = z.object({
  doctor: z.string(),
  name: z.string().nullable(),
  hospital: z.string(),
  hospitalName: z.string().nullable(),
  department: z.string().nullable(),
  predicted: z
    .number()
    .nullable()
    .meta({ description: "predicted rating 1–5 (2 decimals); null for cold start" }),
  basis: Basis,
  hospitalScore: z.number().nullable(),
  ratingCount: z.number().int(),
  averageRating: z.number().nullable(),
});

export const RecommendationsSchema = z.object({
  patient: z.string(),
  department: z.string().nullable(),
  coldStart: z.boolean().meta({ description: "true when the patient has given no feedback yet" }),
  items: z.array(DoctorRecommendationSchema),
});

const round2 = (x: number) => Math.round(x * 100) / 100;

export function registerRecommendationRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/recommendations/doctors",
    summary: "Doctors recommended to a patient (the patient or their guardian)",
    description:
      "Top-N doctors of a department predicted from patients' visit feedback (weighted slope one and " +
      "user-based collaborative filtering, blended); doctors the patient already rated are left out; " +
      "a patient without feedback gets the department's doctors by hospital score (cold start).",
    tags: ["recommendations"],
    auth: true,
    query: RecommendationQuery,
    response: RecommendationsSchema,
    errors: [400, 403, 404],
    handler: async ({ query, session, requestId }) => {
      const patient = query.patient ?? session!.address;
      const resource = `patient:${patient}`;
      await audit.authorize(
        session,
        "recommend.read",
        resource,
        await patientFacts(ctx, session, patient),
        requestId,
      );
      const member = await prisma.member.findUnique({ where: { address: patient }, select: { role: true } });
      if (!member || member.role !== ROLE_CODES.patient) throw notFound("patient");

      const model = await recommendationModel(ctx);
      const { recommender } = model;
      const coldStart = !recommender.data.patientIndex.has(patient);
      const picked = recommender
        .topN(patient, { department: query.department, n: query.limit })
        .filter(
          (r) => query.department !== undefined || r.department !== NO_DEPARTMENT || r.source === "model",
        );
      const facts = picked.map((r) => model.doctors.get(r.doctorId)!);
      const names = await namesOf(
        ctx,
        facts.flatMap((f) => [f.doctor, f.hospital]),
      );
      const items = picked.map((r, i) => {
        const f = facts[i]!;
        const d = r.prediction;
        const basis =
          r.source === "cold-start"
            ? "cold-start"
            : d?.slopeOne !== undefined && d.userCf !== undefined
              ? "blend"
              : d?.slopeOne !== undefined
                ? "slope-one"
                : "user-cf";
        return {
          doctor: f.doctor,
          name: names.get(f.doctor) ?? null,
          hospital: f.hospital,
          hospitalName: names.get(f.hospital) ?? null,
          department: f.department,
          predicted: r.source === "model" ? round2(r.score) : null,
          basis: basis as z.infer<typeof Basis>,
          hospitalScore: f.hospitalScore,
          ratingCount: f.ratingCount,
          averageRating: f.ratingCount ? round2(f.ratingSum / f.ratingCount) : null,
        };
      });
      await audit.allowed(
        session,
        "recommend.read",
        resource,
        requestId,
        `${query.department ?? "all"}: ${items.length}`,
      );
      return { patient, department: query.department ?? null, coldStart, items };
    },
  });
}
