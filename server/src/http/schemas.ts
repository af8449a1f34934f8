import { getAddress, isAddress } from "ethers";
import { z } from "zod";

// Shared request/response pieces. Addresses are accepted in any case and returned checksummed.

export const Address = z
  .string()
  .refine((s) => /^0x[0-9a-fA-F]{40}$/.test(s) && isAddress(s), "must be a 0x-prefixed 20-byte hex address")
  .transform((s) => getAddress(s))
  .meta({ description: "0x-prefixed 20-byte address", example: "0x6Ab0b1C1e1d4F7A2A45f5f5e8e0cD4B2A0e7C111" });

export const Bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits")
  .transform((s) => s.toLowerCase());

export const Signature = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte hex signature (r, s, v)")
  .transform((s) => s.toLowerCase());

export const Uint256String = z
  .string()
  .regex(/^[0-9]{1,78}$/, "must be a decimal integer string")
  .refine((s) => BigInt(s) < 2n ** 256n, "must fit in 256 bits");

export const Millis = z.number().int().nonnegative().meta({ description: "ms since the epoch" });

export const Pagination = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number() });
}
