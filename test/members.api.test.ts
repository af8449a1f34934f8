import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { admitRegulator, buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The member directory: paginated and sorted in SQL, and narrowed per role — a doctor sees only the
// patients they have to do with, and finds any other approved patient only by their full address.

let stack: Stack;
let a: Alliance;
let regulator: ApiActor;
type Page = { items: { address: string; name: string | null; role: string; status: string }[]; total: number; page: number };
const list = (who: ApiActor, query = "") => who.request<Page>("GET", `/members${query}`);
const addresses = (p: Page) => p.items.map((m) => m.address);

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  regulator = await admitRegulator(a);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe("member directory", () => {
  it("admins and regulators page and sort every member in SQL", async () => {
    const all = await list(a.admin, "?pageSize=100");
    expect(all.total).toBe(6); // two hospitals, two doctors, two patients
    const byName = await list(a.admin, "?sort=name:asc&pageSize=4");
    expect(byName.items.map((m) => m.name)).toEqual([...byName.items.map((m) => m.name)].sort());
    const second = await list(a.admin, "?sort=name:asc&pageSize=4&page=2");
    expect(second.items).toHaveLength(2);
    expect(addresses(second).some((x) => addresses(byName).includes(x))).toBe(false);
    expect((await list(a.admin, "?role=patient")).total).toBe(2);
    expect(addresses(await list(a.admin, "?q=张三"))).toEqual([a.patientA.address]);
    expect((await list(regulator, "?pageSize=100")).total).toBe(6);
  });

  it("a hospital sees its own doctors, a doctor only the patients they have to do with", async () => {
    expect(addresses(await list(a.hospitalA))).toEqual([a.doctorA.address]);
    // doctor A signed patient A's record; patient B is nothing to them, nor to doctor B
    expect(addresses(await list(a.doctorA))).toEqual([a.patientA.address]);
    expect((await list(a.doctorB)).total).toBe(0);
    expect((await list(a.doctorB, "?q=李四")).total).toBe(0);
    // …unless they know the full address
    expect(addresses(await list(a.doctorB, `?q=${a.patientB.address.toLowerCase()}`))).toEqual([a.patientB.address]);
    // a grant to doctor B's hospital brings patient A into doctor B's list
    await grantOnChain(stack, a.patientA.wallet, { recordId: a.recordId, grantee: a.hospitalB.address });
    expect(addresses(await list(a.doctorB))).toEqual([a.patientA.address]);
  });

  it("refuses a caller who is no member, and bad filters", async () => {
    await expectApiError(list(a.stranger), 403, "FORBIDDEN");
    await expectApiError(list(a.patientA), 403, "FORBIDDEN");
    await expectApiError(list(a.admin, "?sort=wrong:asc"), 400, "VALIDATION_FAILED");
    await expectApiError(list(a.admin, "?status=sleeping"), 400, "VALIDATION_FAILED");
  });
});
