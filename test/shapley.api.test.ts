import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  addProjectMember,
  allocateProject,
  commitProjectInputs,
  createProject,
  finalizeProject,
  type ShapleyRunView,
} from "../scripts/lib/research-acts.ts";
import { buildAlliance, expectApiError, type Alliance } from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { buildResearchData } from "./support/research.ts";
import { startStack, type Stack } from "./support/stack.ts";

// A research project's Shapley allocation computed from chain data: what each member hospital brings is
// the records it (or its doctor) holds an active level-2 grant on, weighed by their latest rating; the
// run is committed and recorded on chain, and anyone can check the recorded allocations against it.

let stack: Stack;
let al: Alliance;
let hospitalC: ApiActor;
let record2: string;

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
  ({ hospitalC, record2 } = await buildResearchData(stack, al));
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const shapley = (who: ApiActor, projectId: string, source?: "chain" | "inputs") =>
  who.request<ShapleyRunView>(
    "GET",
    `/research/projects/${projectId}/shapley${source ? `?source=${source}` : ""}`,
  );
const byHospital = (run: ShapleyRunView) => new Map(run.players.map((p) => [p.hospital, p]));

describe("the Shapley allocation of a research project", () => {
  let projectId: string;

  it("derives each member's contribution from the chain and divides exactly", async () => {
    projectId = await createProject(al.admin, "心血管多中心研究", "1000", "三家医院共享科研数据");
    await expectApiError(shapley(al.admin, projectId), 409, "NO_MEMBERS");
    for (const h of [al.hospitalA, al.hospitalB, hospitalC])
      await addProjectMember(al.admin, projectId, h.address);

    const run = await shapley(al.admin, projectId);
    // W(A) = 165 + 35 = 200, W(B) = 165 + 95 = 260, W(AB) = 165 + 35 + 95 = 295 (record 1 once); C brings nothing.
    // v = W²: v(A) = 40000, v(B) = 67600, v(AB) = 87025; C is a null player.
    // φA = ½·40000 + ½·(87025 − 67600) = 29712.5, φB = ½·67600 + ½·(87025 − 40000) = 57312.5 (tenths²),
    // in points ÷ (10·295): φA = 2377/236 ≈ 10.072, φB = 4585/236 ≈ 19.428, Σ = 29.5 = W(N) in points.
    // Amounts of 1000: 341.42 → 341, 658.57 → 658, one unit left → B (the larger remainder): 341, 659, 0.
    expect(run.source).toBe("chain");
    expect(run.method).toBe("exact");
    expect(run.grandCoalitionValue).toBe("29.5");
    const p = byHospital(run);
    expect(p.get(al.hospitalA.address)).toMatchObject({
      fraction: "2377/236",
      value: "10.072",
      amount: "341",
      records: 2,
    });
    expect(p.get(al.hospitalB.address)).toMatchObject({
      fraction: "4585/236",
      value: "19.428",
      amount: "659",
      records: 2,
    });
    expect(p.get(hospitalC.address)).toMatchObject({ fraction: "0", value: "0", amount: "0", records: 0 });
    expect(run.committed).toBe(false);
    expect(run.allocationsMatch).toBeNull();
    // The inputs name no record: only who brings how many and what they weigh.
    expect(JSON.stringify(run.inputs)).not.toContain(al.recordId.slice(2, 20));
  });

  it("is recorded on chain from the committed inputs, and checks the recorded allocations", async () => {
    const run = await shapley(al.admin, projectId, "chain");
    await expectApiError(shapley(al.admin, projectId, "inputs"), 409, "INPUTS_NOT_COMMITTED");
    await commitProjectInputs(al.admin, projectId, run.inputs);
    const committed = await shapley(al.hospitalA, projectId);
    expect(committed.source).toBe("inputs");
    expect(committed.committed).toBe(true);
    expect(committed.inputsHash).toBe(run.inputsHash);
    expect(committed.players.map((x) => x.amount)).toEqual(run.players.map((x) => x.amount));

    const amount = (h: ApiActor) => byHospital(run).get(h.address)!.amount!;
    await allocateProject(al.admin, projectId, al.hospitalA.address, "400"); // not what the run gives
    expect((await shapley(al.admin, projectId)).allocationsMatch).toBe(false);
    for (const h of [al.hospitalA, al.hospitalB, hospitalC])
      await allocateProject(al.admin, projectId, h.address, amount(h));
    await finalizeProject(al.admin, projectId);
    const done = await shapley(al.admin, projectId);
    expect(done.allocationsMatch).toBe(true);
    expect(byHospital(done).get(al.hospitalB.address)!.recorded).toBe("659");
  });

  it("follows the chain: a revoked grant or a new rating changes the next run, not the committed one", async () => {
    // A new rating of record 2 (value 3, rarity 3 → 4·30 + 3·25 = 195) by A, which holds a grant on it.
    await al.hospitalA.request("POST", `/points/records/${record2}/rating`, {
      valueLevel: 3,
      rarityLevel: 3,
    });
    const fresh = await shapley(al.admin, projectId, "chain");
    // W(A) = 165 + 195 = 360, W(B) = 260, W(AB) = 455: φA = ½·129600 + ½·(207025 − 67600) = 134512.5 → /4550 ≈ 29.5632.
    expect(byHospital(fresh).get(al.hospitalA.address)!.value).toBe("29.5632");
    expect(byHospital(await shapley(al.admin, projectId, "inputs")).get(al.hospitalA.address)!.amount).toBe(
      "341",
    );
  });

  it("computes a committed table too, and says which coalition a table lacks", async () => {
    const tableProject = await createProject(al.admin, "手套博弈", "600", "表格输入");
    for (const h of [al.hospitalA, al.hospitalB]) await addProjectMember(al.admin, tableProject, h.address);
    const [a, b] = [al.hospitalA.address, al.hospitalB.address].sort((x, y) =>
      x.toLowerCase() < y.toLowerCase() ? -1 : 1,
    );
    await commitProjectInputs(al.admin, tableProject, {
      players: [a, b],
      values: { "": 0, [a!]: 1, [b!]: 2 },
    });
    const e = await expectApiError(shapley(al.admin, tableProject), 409, "INPUTS_NOT_COMPUTABLE");
    expect(e.body.error!.message).toContain(`${a!.toLowerCase()},${b!.toLowerCase()}`);
    // v(a) = 1, v(b) = 2, v(ab) = 6: φa = ½·1 + ½·(6 − 2) = 2.5, φb = 3.5; 600 → 250, 350.
    await commitProjectInputs(al.admin, tableProject, {
      players: [a, b],
      values: { "": 0, [a!]: 1, [b!]: 2, [`${a},${b}`]: 6 },
    });
    const run = await shapley(al.admin, tableProject);
    expect(run.players.map((x) => [x.fraction, x.amount])).toEqual([
      ["5/2", "250"],
      ["7/2", "350"],
    ]);
  });

  it("shows the run to admins and hospitals, not to patients or doctors", async () => {
    await expectDenied(stack, () => shapley(al.patientA, projectId), al.patientA, "research.read");
    await expectDenied(stack, () => shapley(al.doctorA, projectId), al.doctorA, "research.read");
    await expectApiError(shapley(al.admin, `0x${"77".repeat(32)}`), 404);
    await expectApiError(
      al.admin.request("GET", `/research/projects/${projectId}/shapley?source=table`),
      400,
    );
  });
});
