import type { AppContext } from "../context.ts";
import type { Prisma, Visit } from "../generated/prisma/client.ts";
import { queuePriorityPatients } from "./perks.ts";

// The priority queue (`sort=priority:desc`): visits of patients whose tier carries queue priority
// (优先排队就诊) come first, the others after; inside each group the visit opened first is served
// first (openedAt asc, then visitId for a stable order). `priority:asc` puts the two groups the
// other way round, with the same first-come order inside each.
//
// PatientPoints has no relation to Visit in the schema, so the order is made with two SQL queries
// over the same filter: the priority group (patient IN the priority patients) and the rest (NOT IN).
// A page is cut across the two by their counts, so paging is exact and nothing is sorted in memory.

export type PriorityDirection = "asc" | "desc";

const FIRST_COME: Prisma.VisitOrderByWithRelationInput[] = [{ openedAt: "asc" }, { visitId: "asc" }];

/** One page of the visits matching `where` in queue order, mapped to their views. */
export async function priorityPage<V>(
  ctx: AppContext,
  where: Prisma.VisitWhereInput,
  direction: PriorityDirection,
  q: { page: number; pageSize: number },
  view: (rows: Visit[]) => Promise<V[]>,
): Promise<{ items: V[]; page: number; pageSize: number; total: number }> {
  const priority = await queuePriorityPatients(ctx);
  const inPriority: Prisma.VisitWhereInput = { AND: [where, { patient: { in: priority } }] };
  const notPriority: Prisma.VisitWhereInput = { AND: [where, { patient: { notIn: priority } }] };
  const [first, second] = direction === "desc" ? [inPriority, notPriority] : [notPriority, inPriority];

  const [firstCount, secondCount] = await Promise.all([
    ctx.prisma.visit.count({ where: first }),
    ctx.prisma.visit.count({ where: second }),
  ]);
  const skip = (q.page - 1) * q.pageSize;
  // The page's window [skip, skip + pageSize) over "first group, then second group".
  const fromFirst = Math.max(0, Math.min(q.pageSize, firstCount - skip));
  const fromSecond = q.pageSize - fromFirst;
  const [a, b] = await Promise.all([
    fromFirst > 0
      ? ctx.prisma.visit.findMany({ where: first, orderBy: FIRST_COME, skip, take: fromFirst })
      : Promise.resolve([]),
    fromSecond > 0
      ? ctx.prisma.visit.findMany({
          where: second,
          orderBy: FIRST_COME,
          skip: Math.max(0, skip - firstCount),
          take: fromSecond,
        })
      : Promise.resolve([]),
  ]);
  return {
    items: await view([...a, ...b]),
    page: q.page,
    pageSize: q.pageSize,
    total: firstCount + secondCount,
  };
}
