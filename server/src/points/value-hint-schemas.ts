import { z } from "zod";
import { RecordSchema } from "../emr/views.ts";

// What the value hint and the rating list answer (OpenAPI components).

const Level = z.number().int().min(1).max(3);

export const MyRatingSchema = z
  .object({ valueLevel: z.number().int(), rarityLevel: z.number().int(), ratedAt: z.number() })
  .meta({ id: "MyRecordRating", description: "The calling hospital's latest rating of the record" });

export const ValueHintSchema = z
  .object({
    recordId: z.string(),
    institutions: z
      .array(z.object({ institution: z.string(), name: z.string().nullable(), accesses: z.number().int() }))
      .meta({ description: "Hospitals whose (or whose doctors') granted reads count, most reads first" }),
    accesses: z
      .number()
      .int()
      .meta({ description: "Granted reads by institutions (hospitals, doctors as their hospital)" }),
    otherAccesses: z.number().int().meta({
      description: "Granted reads by patients, guardians or regulators (not institutions), left out",
    }),
    entropyBits: z
      .number()
      .meta({ description: "H = −Σ pᵢ log₂ pᵢ over the institutions' shares, 3 decimals" }),
    effectiveInstitutions: z.number().meta({ description: "2^H, 2 decimals" }),
    suggestedLevel: Level.meta({ description: "1 if H < 1 bit, 2 if 1 ≤ H < 2, 3 if H ≥ 2" }),
    explanation: z
      .array(
        z.enum([
          "noAccesses",
          "oneInstitution",
          "fewInstitutions",
          "manyInstitutions",
          "spreading",
          "narrowing",
          "steady",
          "otherAccessesLeftOut",
        ]),
      )
      .meta({ description: "Keys of plain-word reasons, translated by the portal" }),
    windowDays: z.number().int(),
    overTime: z
      .array(
        z.object({
          from: z.number(),
          to: z.number(),
          accesses: z.number().int(),
          entropyBits: z.number(),
          suggestedLevel: Level,
        }),
      )
      .meta({
        description: "Windows of `window` days ending now, oldest first, back to the first read (at most 24)",
      }),
    myRating: MyRatingSchema.nullable(),
  })
  .meta({ id: "ValueHint" });

export const RatableRecordSchema = z
  .object({
    record: RecordSchema,
    myRating: MyRatingSchema.nullable(),
    settled: z
      .object({
        valueLevel: z.number().int(),
        rarityLevel: z.number().int(),
        pointsTenths: z.number().int(),
        settledAt: z.number(),
      })
      .nullable()
      .meta({ description: "The record's last settlement, or null if never settled" }),
  })
  .meta({ id: "RatableRecord" });
