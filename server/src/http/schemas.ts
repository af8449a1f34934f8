import { getAddress, isAddress } from "ethers";
import { z } from "zod";

// Shared request/response pieces. Addresses are accepted in any case and returned checksummed.

export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: "must be a 0x-prefixed 20-byte hex address", abort: true })
  .refine((s) => isAddress(s), "has a wrong checksum (mixed-case addresses must be EIP-55 checksummed)")
  .transform((s) => getAddress(s))
  .meta({ description: "0x-prefixed 20-byte address (lower-case or EIP-55 checksummed)" });

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

export const Bytes32Param = (name: string) => z.object({ [name]: Bytes32 });

/** The signature fields every signed act carries: the signer's unordered nonce, a deadline, the signature. */
export const SignedFields = z.object({ nonce: Uint256String, deadline: Millis, signature: Signature });

const Direction = ["asc", "desc"] as const;
type Direction = (typeof Direction)[number];
type SortValue<F extends string> = `${F}:${Direction}`;

/**
 * Query of a list endpoint: page, pageSize and `sort=<field>:<asc|desc>` over the given fields.
 * Filters are added with `.extend`.
 */
export function listQuery<const F extends readonly [string, ...string[]]>(fields: F, defaultSort: SortValue<F[number]>) {
  const values = fields.flatMap((f) => Direction.map((d) => `${f}:${d}`)) as [SortValue<F[number]>, ...SortValue<F[number]>[]];
  return Pagination.extend({
    sort: z
      .enum(values)
      .default(defaultSort as never)
      .meta({ description: "`field:asc` or `field:desc`" }) as unknown as z.ZodDefault<z.ZodType<SortValue<F[number]>>>,
  });
}

/** Prisma `orderBy` for a `field:direction` sort value. */
export function orderOf<F extends string>(sort: SortValue<F>): Record<F, Direction> {
  const [field, direction] = sort.split(":") as [F, Direction];
  return { [field]: direction } as Record<F, Direction>;
}

/**
 * Prisma `orderBy` for a sort value, then by a unique `tiebreak` column: rows with equal sort values
 * keep one order, so pages neither repeat nor skip them. The tiebreak follows the sort's direction
 * unless a fixed `direction` is given.
 */
export function orderThen<F extends string, T extends string>(
  sort: SortValue<F>,
  tiebreak: T,
  direction?: Direction,
): [Record<F, Direction>, Record<T, Direction>] {
  const [, sortDirection] = sort.split(":") as [F, Direction];
  return [orderOf(sort), { [tiebreak]: direction ?? sortDirection } as Record<T, Direction>];
}

/** A `true`/`false` query flag. */
export const BooleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");

/** Filters on a time column: `from` inclusive, `to` exclusive (ms). */
export const TimeRange = z.object({
  from: z.coerce.number().int().nonnegative().optional().meta({ description: "from this time (ms, inclusive)" }),
  to: z.coerce.number().int().nonnegative().optional().meta({ description: "until this time (ms, exclusive)" }),
});

export function timeWhere(q: { from?: number; to?: number }): { gte?: bigint; lt?: bigint } | undefined {
  if (q.from === undefined && q.to === undefined) return undefined;
  return { gte: q.from !== undefined ? BigInt(q.from) : undefined, lt: q.to !== undefined ? BigInt(q.to) : undefined };
}

/** Runs a page query and its count together and maps the rows to their views. */
export async function paginate<T, V>(
  q: { page: number; pageSize: number },
  find: (window: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
  view: (rows: T[]) => V[] | Promise<V[]>,
): Promise<{ items: V[]; page: number; pageSize: number; total: number }> {
  const [rows, total] = await Promise.all([find({ skip: (q.page - 1) * q.pageSize, take: q.pageSize }), count()]);
  return { items: await view(rows), page: q.page, pageSize: q.pageSize, total };
}

/** How much of a list a page showed (`3 of 12`), for the list's audit entry. */
export const pageSummary = (page: { items: unknown[]; total: number }) => `${page.items.length} of ${page.total}`;

/** One table (a Prisma model) as a list endpoint reads it. */
interface Listable<W, O, R> {
  findMany(args: { where: W; orderBy: O; skip: number; take: number }): Promise<R[]>;
  count(args: { where: W }): Promise<number>;
}

/** `paginate` over one table: the page's rows by `where` and `orderBy`, their total by `where`. */
export function paginateTable<W, O, R, V>(
  q: { page: number; pageSize: number },
  table: Listable<W, O, R>,
  where: W,
  orderBy: O,
  view: (rows: R[]) => V[] | Promise<V[]>,
): Promise<{ items: V[]; page: number; pageSize: number; total: number }> {
  return paginate(q, (w) => table.findMany({ where, orderBy, ...w }), () => table.count({ where }), view);
}
