import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Reads decided on chain cost a transaction each; past a caller's budget the API answers 429 and
// sends nothing, while the patient's own reads are not affected.

let stack: Stack;
let a: Alliance;

beforeAll(async () => {
  stack = await startStack({ env: { CHAIN_READS_PER_MINUTE: "3" } });
  a = await buildAlliance(stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe("budget of reads decided on chain", () => {
  it("refuses the fourth chain-decided read in a minute with 429, sending no transaction", async () => {
    const { prisma } = stack.app.context;
    const read = () => a.hospitalB.request("GET", `/emr/records/${a.recordId}`);
    for (let i = 0; i < 3; i++) await expectApiError(read(), 403, "FORBIDDEN");
    const requests = () => prisma.accessRequest.count({ where: { requester: a.hospitalB.address } });
    expect(await requests()).toBe(3);
    const limited = await expectApiError(read(), 429, "RATE_LIMITED");
    expect(limited.message).toContain("chain");
    expect(await requests()).toBe(3);
    const audit = await prisma.auditEntry.findMany({
      where: { actor: a.hospitalB.address, detail: "too many reads decided on chain" },
    });
    expect(audit).toHaveLength(1);
    // the versions of the same record draw on the same budget
    await expectApiError(
      a.hospitalB.request("GET", `/emr/records/${a.recordId}/versions`),
      429,
      "RATE_LIMITED",
    );
  });

  it("leaves other callers' budgets and the patient's own reads alone", async () => {
    await expectApiError(a.doctorB.request("GET", `/emr/records/${a.recordId}`), 403, "FORBIDDEN");
    for (let i = 0; i < 5; i++)
      expect(await a.patientA.readRecord(a.recordId)).toHaveProperty("bundle.resourceType", "Bundle");
  });
});
