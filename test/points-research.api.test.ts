import { canonicalJson, researchAction } from "@yyl/sdk";
import { keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  buildAlliance,
  detailPaths,
  expectApiError,
  writeRecord,
  type Alliance,
} from "./support/alliance.ts";
import { deniedActions } from "./support/audit.ts";
import { delegateOnChain, grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Contribution points and research projects through REST: a hospital holding a grant rates a record,
// the settlement gives the patient 0.3·share + 0.4·value + 0.3·rarity points (kept in tenths), the tier
// and perks follow the total; an admin runs a research project through creation, members, inputs,
// allocations and finalization.

let stack: Stack;
let al: Alliance;

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const prisma = () => stack.app.context.prisma;

// The rule, written out here rather than taken from the sdk: tenths = 3·share + 4·VALUE + 3·RARITY.
const VALUE: Record<number, number> = { 1: 5, 2: 20, 3: 30 };
const RARITY: Record<number, number> = { 1: 5, 2: 15, 3: 25 };
const expectedTenths = (share: number, value: number, rarity: number) =>
  3 * share + 4 * VALUE[value]! + 3 * RARITY[rarity]!;

interface RecordPoints {
  recordId: string;
  share: number;
  valueLevel: number;
  rarityLevel: number;
  pointsTenths: number;
  points: string;
  settledAt: number;
  txHash: string | null;
}
interface PatientPoints {
  totalTenths: number;
  points: string;
  tier: { code: number; zh: string; en: string };
  nextTier: { code: number; missingTenths: number } | null;
  perks: { key: string; zh: string; en: string }[];
  settledRecords: number;
}

const rate = (who: ApiActor, recordId: string, valueLevel: unknown, rarityLevel: unknown) =>
  who.request<Record<string, unknown>>("POST", `/points/records/${recordId}/rating`, {
    valueLevel,
    rarityLevel,
  });
const settle = (who: ApiActor, recordId: string) =>
  who.request<RecordPoints>("POST", `/points/records/${recordId}/settlement`, {});

describe("contribution points", () => {
  let records: string[];

  it("lets a hospital holding a grant rate the record, and nobody else", async () => {
    const { recordId } = al;
    await expectApiError(rate(al.hospitalB, recordId, 3, 2), 403, "FORBIDDEN");
    await grantOnChain(stack, al.patientA.wallet, { recordId, grantee: al.hospitalB.address, level: 2 });

    // The author's own hospital holds no grant; doctors and patients may not rate.
    for (const who of [al.hospitalA, al.doctorB, al.patientA]) {
      await expectApiError(rate(who, recordId, 3, 2), 403, "FORBIDDEN");
      expect(await deniedActions(stack, who)).toContain("points.rate");
    }
    expect(detailPaths(await expectApiError(rate(al.hospitalB, recordId, 0, 2), 400))).toEqual([
      "valueLevel",
    ]);
    expect(detailPaths(await expectApiError(rate(al.hospitalB, recordId, 2, 4), 400))).toEqual([
      "rarityLevel",
    ]);
    await expectApiError(rate(al.hospitalB, `0x${"ab".repeat(32)}`, 2, 2), 404);
    expect(await prisma().recordRating.count()).toBe(0);

    const r = await rate(al.hospitalB, recordId, 3, 2);
    expect(r).toMatchObject({ recordId, hospital: al.hospitalB.address, valueLevel: 3, rarityLevel: 2 });
    expect(r.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("settles the record's points as 3·share + 4·value + 3·rarity tenths", async () => {
    const { recordId } = al;
    for (const who of [al.hospitalA, al.doctorB, al.patientB]) {
      await expectApiError(settle(who, recordId), 403, "FORBIDDEN");
      expect(await deniedActions(stack, who)).toContain("points.settle");
    }
    await expectApiError(settle(al.patientA, `0x${"cd".repeat(32)}`), 404);
    expect(await prisma().recordPoints.count()).toBe(0);

    const share = Number(await stack.app.context.chain.contracts.ConsentManager.call("shareOf", [recordId]));
    expect(share).toBe(2); // one grantee at level 2
    const settled = await settle(al.patientA, recordId);
    expect(settled).toMatchObject({
      recordId,
      share: 2,
      valueLevel: 3,
      rarityLevel: 2,
      pointsTenths: expectedTenths(2, 3, 2),
      points: "17.1",
    });

    // A later rating replaces the earlier one; settling again moves the total by the difference.
    await rate(al.hospitalB, recordId, 3, 3);
    const resettled = await settle(al.hospitalB, recordId);
    expect(resettled.pointsTenths).toBe(expectedTenths(2, 3, 3));
    const p = await al.patientA.request<PatientPoints>("GET", `/points/patients/${al.patientA.address}`);
    expect(p).toMatchObject({
      totalTenths: 201,
      points: "20.1",
      tier: { code: 0, zh: "普通", en: "Standard" },
      perks: [],
      settledRecords: 1,
    });
    expect(p.nextTier).toMatchObject({ code: 1, missingTenths: 1000 - 201 });
  });

  it("reaches the silver tier and its perk past 1000 tenths", async () => {
    records = [al.recordId];
    for (let i = 0; i < 4; i++) {
      const recordId = await writeRecord(al.doctorA, al.patientA, al.hospitalA, {
        title: `复诊记录 ${i + 1}`,
        chiefComplaint: "复诊",
        diagnosis: "高血压",
      });
      await grantOnChain(stack, al.patientA.wallet, { recordId, grantee: al.hospitalB.address, level: 2 });
      await rate(al.hospitalB, recordId, 3, 3);
      await settle(al.admin, recordId);
      records.push(recordId);
    }
    const total = 5 * expectedTenths(2, 3, 3);
    expect(total).toBe(1005);
    const p = await al.patientA.request<PatientPoints>("GET", `/points/patients/${al.patientA.address}`);
    expect(p).toMatchObject({
      totalTenths: total,
      points: "100.5",
      tier: { code: 1, zh: "银", en: "Silver" },
      nextTier: { code: 2, missingTenths: 5000 - total },
      perks: [{ key: "queuePriority", zh: "优先排队就诊", en: "Queue priority" }],
      settledRecords: 5,
    });
    const onChain = await stack.app.context.chain.contracts.ContributionPoints.call<{
      totalTenths: bigint;
      tier: bigint;
      perks: bigint;
    }>("pointsOf", [al.patientA.address]);
    expect([Number(onChain.totalTenths), Number(onChain.tier), Number(onChain.perks)]).toEqual([total, 1, 1]);
  });

  it("lists each record's points, sorted and paginated, for the patient, a guardian and admins only", async () => {
    type Page = { items: RecordPoints[]; total: number; page: number; pageSize: number };
    const base = `/points/patients/${al.patientA.address}/records`;
    const all = await al.patientA.request<Page>("GET", `${base}?sort=settledAt:asc`);
    expect(all.total).toBe(5);
    expect(all.items.map((r) => r.recordId)).toEqual(records);
    for (const r of all.items)
      expect(r).toMatchObject({
        pointsTenths: 201,
        points: "20.1",
        share: 2,
        txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      });
    const page = await al.admin.request<Page>("GET", `${base}?sort=settledAt:desc&pageSize=2&page=2`);
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items.map((r) => r.recordId)).toEqual([records[2], records[1]]);
    expect((await al.admin.request<Page>("GET", `${base}?sort=points:desc&pageSize=1`)).items).toHaveLength(
      1,
    );
    expect(detailPaths(await expectApiError(al.admin.request("GET", `${base}?sort=share:asc`), 400))).toEqual(
      ["query.sort"],
    );
    expect(detailPaths(await expectApiError(al.admin.request("GET", `${base}?pageSize=500`), 400))).toEqual([
      "query.pageSize",
    ]);

    const guardian = al.newActor();
    await guardian.signIn();
    for (const who of [al.patientB, al.hospitalB, al.doctorA, guardian]) {
      await expectApiError(who.request("GET", `/points/patients/${al.patientA.address}`), 403);
      await expectApiError(who.request("GET", base), 403);
      expect(await deniedActions(stack, who)).toContain("points.read");
    }
    await delegateOnChain(stack, al.patientA.wallet, guardian.address);
    expect(
      await guardian.request<PatientPoints>("GET", `/points/patients/${al.patientA.address}`),
    ).toMatchObject({ totalTenths: 1005 });
    expect((await guardian.request<Page>("GET", base)).total).toBe(5);
    await expectApiError(al.admin.request("GET", `/points/patients/${al.doctorA.address}`), 404);
    await expectApiError(al.admin.request("GET", "/points/patients/0x1234"), 400);
    const allowed = await prisma().auditEntry.count({
      where: { actor: guardian.address, action: "points.read", outcome: "allowed" },
    });
    expect(allowed).toBe(2);
  });
});

interface ProjectView {
  projectId: string;
  total: string;
  allocated: string;
  memberCount: number;
  description: string | null;
  descriptionHash: string;
  inputsHash: string | null;
  inputs: Record<string, unknown> | null;
  inputsVerified: boolean | null;
  finalized: boolean;
  txHash: string | null;
  members: { hospital: string; name: string | null; amount: string | null }[];
}

describe("research projects", () => {
  const title = "多中心心血管队列研究";
  let projectId: string;

  async function act(
    signer: ApiActor,
    sender: ApiActor,
    path: string,
    build: (
      d: Awaited<ReturnType<ApiActor["domain"]>>,
      s: { nonce: string; deadline: number },
    ) => Parameters<ApiActor["sign"]>[0],
    body: Record<string, unknown>,
  ) {
    const s = ApiActor.freshNonce();
    const signature = await signer.sign(build(await signer.domain("ResearchAllocation"), s));
    return sender.request<ProjectView>("POST", path, { ...body, ...s, signature });
  }
  const create = (
    signer: ApiActor,
    sender: ApiActor,
    body: { title?: string; projectId?: string; total: string; description: string },
    id?: (nonce: string) => string,
  ) => {
    const s = ApiActor.freshNonce();
    const pid = id ? id(s.nonce) : body.projectId!;
    return signer
      .domain("ResearchAllocation")
      .then((d) =>
        signer.sign(
          researchAction.create(d, {
            projectId: pid,
            total: body.total,
            descriptionHash: keccak256(toUtf8Bytes(body.description)),
            ...s,
          }),
        ),
      )
      .then((signature) =>
        sender.request<ProjectView>("POST", "/research/projects", { ...body, ...s, signature }),
      );
  };
  const idOf = (t: string) => (nonce: string) =>
    solidityPackedKeccak256(["string", "uint256"], [t, BigInt(nonce)]);
  const member = (signer: ApiActor, sender: ApiActor, hospital: string, id = projectId) =>
    act(
      signer,
      sender,
      `/research/projects/${id}/members`,
      (d, s) => researchAction.addMember(d, { projectId: id, hospital, ...s }),
      { hospital },
    );
  const inputs = (table: Record<string, unknown>) =>
    act(
      al.admin,
      al.admin,
      `/research/projects/${projectId}/inputs`,
      (d, s) =>
        researchAction.commitInputs(d, {
          projectId,
          inputsHash: keccak256(toUtf8Bytes(canonicalJson(table))),
          ...s,
        }),
      {
        inputs: table,
      },
    );
  const allocate = (hospital: string, amount: string) =>
    act(
      al.admin,
      al.admin,
      `/research/projects/${projectId}/allocations`,
      (d, s) => researchAction.allocate(d, { projectId, hospital, amount, ...s }),
      { hospital, amount },
    );
  const finalize = () =>
    act(
      al.admin,
      al.admin,
      `/research/projects/${projectId}/finalization`,
      (d, s) => researchAction.finalize(d, { projectId, ...s }),
      {},
    );

  it("creates a project from a title and nonce, by an admin only", async () => {
    const body = { title, total: "1000", description: "评估各医院数据对模型精度的贡献" };
    await expectApiError(create(al.hospitalA, al.hospitalA, body, idOf(title)), 403, "FORBIDDEN");
    expect(await deniedActions(stack, al.hospitalA)).toContain("research.manage");
    expect(detailPaths(await expectApiError(create(al.hospitalA, al.admin, body, idOf(title)), 400))).toEqual(
      ["signature"],
    );
    expect(
      detailPaths(
        await expectApiError(create(al.admin, al.admin, { ...body, total: "0" }, idOf(title)), 400),
      ),
    ).toEqual(["total"]);
    expect(
      detailPaths(
        await expectApiError(
          create(
            al.admin,
            al.admin,
            { total: "10", description: "x", projectId: undefined },
            () => `0x${"00".repeat(32)}`,
          ),
          400,
        ),
      ),
    ).toEqual(["projectId"]);
    expect(await prisma().researchProject.count()).toBe(0);

    const p = await create(al.admin, al.admin, body, idOf(title));
    projectId = p.projectId;
    expect(p).toMatchObject({
      total: "1000",
      allocated: "0",
      memberCount: 0,
      description: body.description,
      finalized: false,
      inputs: null,
      inputsVerified: null,
      members: [],
    });
    expect(p.descriptionHash).toBe(keccak256(toUtf8Bytes(body.description)));
    expect(p.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    await expectApiError(
      create(al.admin, al.admin, { projectId, total: "5", description: "again" }),
      409,
      "PROJECT_EXISTS",
    );
  });

  it("adds approved hospitals as members, once each", async () => {
    await expectApiError(member(al.admin, al.hospitalA, al.hospitalA.address), 403);
    expect(detailPaths(await expectApiError(member(al.admin, al.admin, al.patientA.address), 400))).toEqual([
      "hospital",
    ]);
    await expectApiError(member(al.admin, al.admin, al.hospitalA.address, `0x${"ef".repeat(32)}`), 404);
    await member(al.admin, al.admin, al.hospitalA.address);
    const p = await member(al.admin, al.admin, al.hospitalB.address);
    expect(p.memberCount).toBe(2);
    expect(p.members).toEqual(
      expect.arrayContaining([
        { hospital: al.hospitalA.address, name: "甲医院", amount: null },
        { hospital: al.hospitalB.address, name: "乙医院", amount: null },
      ]),
    );
    await expectApiError(member(al.admin, al.admin, al.hospitalB.address), 409, "ALREADY_MEMBER");
  });

  it("commits the characteristic function table, kept as canonical JSON behind its hash", async () => {
    await expectApiError(allocate(al.hospitalA.address, "100"), 409, "INPUTS_NOT_COMMITTED");
    const [a, b] = [al.hospitalA.address.toLowerCase(), al.hospitalB.address.toLowerCase()].sort() as [
      string,
      string,
    ];
    const outsider = al.stranger.address.toLowerCase();
    const notMember = await expectApiError(inputs({ players: [a, outsider], values: { [a]: 1 } }), 400);
    expect(detailPaths(notMember)).toEqual(["inputs.players"]);
    const unsorted = await expectApiError(inputs({ players: [a, b], values: { [`${b},${a}`]: 3 } }), 400);
    expect(detailPaths(unsorted)).toEqual([`inputs.values.${b},${a}`]);
    expect(detailPaths(await expectApiError(inputs({ values: {} }), 400))).toEqual(["inputs.players"]);
    expect(
      (await prisma().researchProject.findUniqueOrThrow({ where: { projectId } })).inputsHash,
    ).toBeNull();

    const table = { values: { "": 0, [a]: 100, [b]: 200, [`${a},${b}`]: 1000 }, players: [a, b] };
    const p = await inputs(table);
    expect(p.inputs).toEqual(table);
    expect(p.inputsHash).toBe(keccak256(toUtf8Bytes(canonicalJson(table))));
    expect(p.inputsVerified).toBe(true);
  });

  it("records allocations, refusing a sum above the total, and finalizes at exactly the total", async () => {
    await allocate(al.hospitalA.address, "300");
    const over = await expectApiError(allocate(al.hospitalB.address, "701"), 409, "ALLOCATION_EXCEEDS_TOTAL");
    expect(over.body.error!.message).toContain("1001");
    const row = await prisma().researchAllocationRow.findUniqueOrThrow({
      where: { projectId_hospital: { projectId, hospital: al.hospitalB.address } },
    });
    expect(row.amount).toBeNull();
    await expectApiError(allocate(al.stranger.address, "1"), 409, "NOT_A_MEMBER");

    await allocate(al.hospitalB.address, "600");
    await expectApiError(finalize(), 409, "ALLOCATION_SUM_MISMATCH");
    // A later allocation replaces the member's earlier one.
    const p = await allocate(al.hospitalA.address, "400");
    expect(p.allocated).toBe("1000");
    const done = await finalize();
    expect(done).toMatchObject({ finalized: true, total: "1000", allocated: "1000" });
    expect(done.members).toEqual(
      expect.arrayContaining([
        { hospital: al.hospitalA.address, name: "甲医院", amount: "400" },
        { hospital: al.hospitalB.address, name: "乙医院", amount: "600" },
      ]),
    );
    const onChain = await stack.app.context.chain.contracts.ResearchAllocation.call<{
      allocated: bigint;
      finalized: boolean;
    }>("projectOf", [projectId]);
    expect([Number(onChain.allocated), onChain.finalized]).toEqual([1000, true]);
    await expectApiError(allocate(al.hospitalA.address, "1"), 409, "PROJECT_FINALIZED");
    await expectApiError(finalize(), 409, "PROJECT_FINALIZED");
  });

  it("lists and shows projects to admins and hospitals only", async () => {
    const other = await create(al.admin, al.admin, {
      projectId: `0x${"5a".repeat(32)}`,
      total: "50",
      description: "罕见病数据共享试点",
    });
    type Page = { items: { projectId: string; finalized: boolean }[]; total: number };
    const all = await al.hospitalB.request<Page>("GET", "/research/projects?sort=createdAt:asc");
    expect(all.items.map((p) => p.projectId)).toEqual([projectId, other.projectId]);
    expect((await al.admin.request<Page>("GET", "/research/projects")).items.map((p) => p.projectId)).toEqual(
      [other.projectId, projectId],
    );
    expect(
      (await al.admin.request<Page>("GET", "/research/projects?finalized=true")).items.map(
        (p) => p.projectId,
      ),
    ).toEqual([projectId]);
    expect((await al.admin.request<Page>("GET", "/research/projects?finalized=false&pageSize=1")).total).toBe(
      1,
    );
    expect(
      detailPaths(await expectApiError(al.admin.request("GET", "/research/projects?finalized=yes"), 400)),
    ).toEqual(["query.finalized"]);

    const one = await al.hospitalA.request<ProjectView>("GET", `/research/projects/${projectId}`);
    expect(one).toMatchObject({
      projectId,
      finalized: true,
      inputsVerified: true,
      description: "评估各医院数据对模型精度的贡献",
    });
    for (const who of [al.patientA, al.doctorA, al.stranger]) {
      await expectApiError(who.request("GET", "/research/projects"), 403);
      await expectApiError(who.request("GET", `/research/projects/${projectId}`), 403);
      expect(await deniedActions(stack, who)).toContain("research.read");
    }
    await expectApiError(al.admin.request("GET", `/research/projects/0x${"99".repeat(32)}`), 404);
    await expectApiError(al.admin.request("GET", "/research/projects/not-an-id"), 400);
  });
});
