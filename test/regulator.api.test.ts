import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { encryptKeystore } from "@yyl/sdk";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { repoRoot } from "../server/src/config.ts";
import { buildAlliance, expectApiError, fieldsOf, type Alliance } from "./support/alliance.ts";
import { denials } from "./support/audit.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Regulators and courts as query clients: admitted by an alliance admin, signed in without a browser
// (scripts/token.ts), reading record content only under a patient's time-limited grant (each read an
// on-chain AccessRequested event), querying the audit log and the on-chain access record, and losing
// it all at their next request once revoked.

interface RegulatorView {
  address: string;
  name: string;
  kind: string;
  jurisdiction: string;
  region: string | null;
  active: boolean;
  addedBy: string;
  revokedAt: number | null;
}
interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
interface Entry {
  id: string;
  at: number;
  actor: string | null;
  actorName: string | null;
  actorKind: string | null;
  roles: string[];
  action: string;
  resource: string;
  outcome: string;
}
interface ChainAccess {
  recordId: string;
  requester: string;
  requesterName: string | null;
  requesterKind: string;
  patient: string;
  patientName: string | null;
  granted: boolean;
  reason: number;
  reasonName: string;
  level: number;
  txHash: string;
  blockNumber: number;
  at: number;
}

let stack: Stack;
let al: Alliance;
let regulator: ApiActor;
const startedAt = Date.now();
const NAME = "四川省卫健委监督员";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admit = (actor: ApiActor, address: string, extra: Record<string, unknown> = {}) =>
  actor.request<RegulatorView>("POST", "/regulators", {
    address,
    name: NAME,
    organization: "四川省卫生健康委员会",
    kind: "health-authority",
    jurisdiction: "provincial",
    region: "四川",
    ...extra,
  });
const chainRows = (requester: string) =>
  stack.app.context.prisma.accessRequest.count({ where: { requester } });

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
  regulator = al.newActor();
  await regulator.signIn();
});

afterAll(async () => {
  await stack?.close();
});

describe("admission", () => {
  it("an admin admits a regulator, who signs in with the token script and holds the role", async () => {
    const view = await admit(al.admin, regulator.address);
    expect(view).toMatchObject({
      address: regulator.address,
      name: NAME,
      kind: "health-authority",
      jurisdiction: "provincial",
      region: "四川",
      active: true,
      addedBy: al.admin.address,
    });
    const audited = await stack.app.context.prisma.auditEntry.findMany({
      where: { actor: al.admin.address, resource: `regulator:${regulator.address}` },
    });
    expect(audited.map((a) => [a.action, a.outcome, a.detail])).toEqual([
      ["regulator.manage", "allowed", "admitted"],
    ]);

    // The command-line client signs the challenge with a keystore whose password comes from the environment.
    const dir = await mkdtemp(path.join(os.tmpdir(), "yyl-token-"));
    try {
      const keystore = path.join(dir, "regulator.json");
      await writeFile(keystore, await encryptKeystore(regulator.wallet, "correct horse"));
      const { stdout } = await promisify(execFile)(
        path.join(repoRoot, "node_modules/.bin/tsx"),
        [path.join(repoRoot, "scripts/token.ts"), "--url", stack.baseUrl, "--keystore", keystore, "--json"],
        { env: { ...process.env, YYL_KEYSTORE_PASSWORD: "correct horse" } },
      );
      const issued = JSON.parse(stdout) as {
        address: string;
        roles: string[];
        token: string;
        expiresAt: number;
      };
      expect(issued).toMatchObject({ address: regulator.address, roles: ["regulator"] });
      expect(issued.expiresAt).toBeGreaterThan(Date.now());
      regulator.token = issued.token;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const me = await regulator.request<{ roles: string[] }>("GET", "/auth/me");
    expect(me.roles).toEqual(["regulator"]);
  });

  it("refuses anyone but an admin, records the attempt and admits no one", async () => {
    const candidate = Wallet.createRandom().address;
    for (const actor of [al.hospitalA, al.patientA, al.stranger, regulator]) {
      await expectApiError(admit(actor, candidate), 403, "FORBIDDEN");
      const denied = await stack.app.context.prisma.auditEntry.count({
        where: {
          actor: actor.address,
          action: "regulator.manage",
          resource: `regulator:${candidate}`,
          outcome: "denied",
        },
      });
      expect(denied).toBe(1);
    }
    await expectApiError(regulator.request("POST", `/regulators/${regulator.address}/revocation`, {}), 403);
    expect(await stack.app.context.prisma.regulator.count({ where: { address: candidate } })).toBe(0);
    await expectApiError(al.admin.request("GET", `/regulators/${candidate}`), 404);
    expect((await al.admin.request<RegulatorView>("GET", `/regulators/${regulator.address}`)).active).toBe(
      true,
    );
  });

  it("answers bad input with 400 naming each field", async () => {
    const err = await expectApiError(
      al.admin.request("POST", "/regulators", {
        address: "0x1234",
        name: " ",
        kind: "police",
        jurisdiction: "county",
      }),
      400,
    );
    expect(fieldsOf(err)).toEqual(["address", "jurisdiction", "kind", "name", "organization"]);
    const q = await expectApiError(
      al.admin.request("GET", "/regulators?kind=police&active=maybe&sort=age:asc"),
      400,
    );
    expect(fieldsOf(q)).toEqual(["query.active", "query.kind", "query.sort"]);
    const p = await expectApiError(al.admin.request("GET", "/regulators/not-an-address"), 400);
    expect(fieldsOf(p)).toEqual(["params.address"]);
  });

  it("refuses an address that is already a regulator, an alliance member or an admin (409, saying why)", async () => {
    const before = await stack.app.context.prisma.regulator.count();
    await expectApiError(admit(al.admin, regulator.address), 409, "CONFLICT");
    const member = await expectApiError(admit(al.admin, al.hospitalA.address), 409, "CONFLICT");
    expect(member.body.error!.message).toMatch(/alliance member \(hospital, approved\)/);
    const admin = await expectApiError(admit(al.admin, al.admin.address), 409, "CONFLICT");
    expect(admin.body.error!.message).toMatch(/alliance admin/);
    expect(await stack.app.context.prisma.regulator.count()).toBe(before);
  });

  it("lists regulators to admins and regulators, filtered, sorted and paginated", async () => {
    const court = Wallet.createRandom().address;
    const insurer = Wallet.createRandom().address;
    await admit(al.admin, court, {
      name: "成都市中级人民法院",
      organization: "成都市中级人民法院",
      kind: "court",
      jurisdiction: "city",
      region: "成都",
    });
    await admit(al.admin, insurer, {
      name: "医保局",
      organization: "国家医疗保障局",
      kind: "insurer",
      jurisdiction: "national",
      region: undefined,
    });
    const courts = await regulator.request<Page<RegulatorView>>("GET", "/regulators?kind=court");
    expect(courts.items.map((r) => r.address)).toEqual([court]);
    const city = await al.admin.request<Page<RegulatorView>>(
      "GET",
      "/regulators?jurisdiction=city&active=true",
    );
    expect(city.items.map((r) => r.address)).toEqual([court]);
    const byName = await al.admin.request<Page<RegulatorView>>("GET", "/regulators?sort=name:asc&pageSize=2");
    expect(byName.total).toBe(3);
    expect(byName.items.map((r) => r.name)).toEqual([...byName.items.map((r) => r.name)].sort());
    const second = await al.admin.request<Page<RegulatorView>>(
      "GET",
      "/regulators?sort=addedAt:asc&pageSize=1&page=2",
    );
    expect(second).toMatchObject({ page: 2, pageSize: 1, total: 3 });
    expect(second.items.map((r) => r.address)).toEqual([court]);
    expect((await al.admin.request<Page<RegulatorView>>("GET", "/regulators?active=false")).total).toBe(0);
    await expectApiError(al.patientA.request("GET", "/regulators"), 403);
    await expectApiError(al.doctorA.request("GET", `/regulators/${court}`), 403);
  });
});

describe("record content under a patient's grant", () => {
  it("is refused without a grant, and the refusal is on chain with the regulator as requester", async () => {
    const err = await expectApiError(regulator.request("GET", `/emr/records/${al.recordId}`), 403);
    expect(err.body.error!.message).toMatch(/no active grant/);
    const rows = await regulator.request<Page<ChainAccess>>(
      "GET",
      `/audit/chain-access?requester=${regulator.address}`,
    );
    expect(rows.total).toBe(1);
    expect(rows.items[0]).toMatchObject({
      recordId: al.recordId,
      requester: regulator.address,
      requesterName: NAME,
      requesterKind: "regulator",
      patient: al.patientA.address,
      patientName: "张三",
      granted: false,
      reason: 10,
      reasonName: "no-grant",
      level: 0,
    });
    expect(rows.items[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("opens under a short grant to the regulator, and is refused again once it expired", async () => {
    const expiresAt = Date.now() + 8_000;
    await grantOnChain(stack, al.patientA.wallet, {
      recordId: al.recordId,
      grantee: regulator.address,
      expiresAt,
    });
    await al.patientA.shareKeys(al.recordId, regulator.address);
    const read = await regulator.readRecord<{ record: { recordId: string } }>(al.recordId);
    expect(read.record.recordId).toBe(al.recordId);
    expect(JSON.stringify(read.bundle)).toContain("心绞痛");
    const granted = await regulator.request<Page<ChainAccess>>(
      "GET",
      `/audit/chain-access?requester=${regulator.address}&granted=true`,
    );
    expect(granted.items.map((r) => [r.granted, r.reasonName, r.level])).toEqual([[true, "record-grant", 1]]);

    await sleep(Math.max(0, expiresAt - Date.now()) + 300);
    const err = await expectApiError(regulator.request("GET", `/emr/records/${al.recordId}`), 403);
    expect(err.body.error!.message).toMatch(/expired/);
    const latest = await regulator.request<Page<ChainAccess>>(
      "GET",
      `/audit/chain-access?requester=${regulator.address}&sort=at:desc&pageSize=1`,
    );
    expect(latest.total).toBe(3);
    expect(latest.items[0]).toMatchObject({ granted: false, reason: 11, reasonName: "expired" });
  });
});

describe("audit queries", () => {
  it("filter the audit log by actor, outcome, action, resource prefix and time, with names and pagination", async () => {
    const denied = await regulator.request<Page<Entry>>(
      "GET",
      `/audit/entries?actor=${al.stranger.address}&outcome=denied`,
    );
    expect(denied.total).toBeGreaterThanOrEqual(1);
    expect(denied.items.every((e) => e.actor === al.stranger.address && e.outcome === "denied")).toBe(true);
    expect(denied.items.map((e) => e.action)).toContain("regulator.manage");
    expect(denied.items[0]).toMatchObject({ actorKind: "other", actorName: null, roles: ["applicant"] });

    const hospital = await regulator.request<Page<Entry>>(
      "GET",
      `/audit/entries?actor=${al.hospitalA.address}&action=regulator.manage`,
    );
    expect(hospital.items.map((e) => [e.actorName, e.actorKind, e.roles, e.outcome])).toEqual([
      ["甲医院", "hospital", ["hospital"], "denied"],
    ]);

    const records = await regulator.request<Page<Entry>>(
      "GET",
      "/audit/entries?resource=record:&pageSize=2&sort=at:asc",
    );
    expect(records.total).toBeGreaterThan(2);
    expect(records.items.every((e) => e.resource.startsWith("record:"))).toBe(true);
    const next = await regulator.request<Page<Entry>>(
      "GET",
      "/audit/entries?resource=record:&pageSize=2&page=2&sort=at:asc",
    );
    expect(next.items.map((e) => e.id)).not.toContain(records.items[0]!.id);
    expect(next.items[0]!.at).toBeGreaterThanOrEqual(records.items[1]!.at);
    const exact = await regulator.request<Page<Entry>>(
      "GET",
      `/audit/entries?resource=${encodeURIComponent(`record:${al.recordId}`)}&actor=${regulator.address}`,
    );
    expect(exact.items.map((e) => e.outcome).sort()).toEqual(["allowed", "denied", "denied"]);

    const future = Date.now() + 3_600_000;
    expect((await al.admin.request<Page<Entry>>("GET", `/audit/entries?from=${future}`)).total).toBe(0);
    const window = await al.admin.request<Page<Entry>>(
      "GET",
      `/audit/entries?from=${startedAt}&to=${future}&pageSize=100`,
    );
    expect(window.items.every((e) => e.at >= startedAt && e.at < future)).toBe(true);

    // The queries above are themselves in the log.
    const reads = await al.admin.request<Page<Entry>>(
      "GET",
      `/audit/entries?actor=${regulator.address}&action=audit.read&resource=audit:`,
    );
    expect(reads.items.map((e) => e.resource)).toEqual(
      expect.arrayContaining(["audit:entries", "audit:chain-access"]),
    );
  });

  it("filter the on-chain access record by record, patient and outcome", async () => {
    const byRecord = await regulator.request<Page<ChainAccess>>(
      "GET",
      `/audit/chain-access?recordId=${al.recordId}&patient=${al.patientA.address}&pageSize=1&sort=at:asc`,
    );
    expect(byRecord.total).toBe(3);
    expect(byRecord.items[0]).toMatchObject({ reasonName: "no-grant" });
    const deniedOnly = await regulator.request<Page<ChainAccess>>(
      "GET",
      `/audit/chain-access?granted=false&reason=expired`,
    );
    expect(deniedOnly.items.map((r) => r.requester)).toEqual([regulator.address]);
    expect(
      (
        await regulator.request<Page<ChainAccess>>(
          "GET",
          `/audit/chain-access?patient=${al.patientB.address}`,
        )
      ).total,
    ).toBe(0);
    const bad = await expectApiError(
      regulator.request("GET", "/audit/chain-access?granted=yes&recordId=0x12"),
      400,
    );
    expect(fieldsOf(bad)).toEqual(["query.granted", "query.recordId"]);
  });

  it("count entries per action and outcome", async () => {
    const s = await regulator.request<{
      total: number;
      outcomes: { allowed: number; denied: number; failed: number };
      items: { action: string; outcome: string; count: number }[];
    }>("GET", `/audit/summary?from=${startedAt}`);
    const manageDenied = s.items.find((i) => i.action === "regulator.manage" && i.outcome === "denied");
    expect(manageDenied?.count).toBe(
      await stack.app.context.prisma.auditEntry.count({
        where: { action: "regulator.manage", outcome: "denied", at: { gte: BigInt(startedAt) } },
      }),
    );
    expect(s.total).toBe(s.items.reduce((n, i) => n + i.count, 0));
    expect(s.outcomes.allowed + s.outcomes.denied + s.outcomes.failed).toBe(s.total);
  });

  it("are refused to everyone else, and the attempt is recorded", async () => {
    for (const actor of [al.patientA, al.doctorA, al.hospitalA, al.stranger]) {
      for (const p of ["/audit/entries", "/audit/chain-access", "/audit/summary"])
        await expectApiError(actor.request("GET", p), 403);
      expect(await denials(stack, actor, "audit.read")).toBe(3);
    }
    const bad = await expectApiError(
      regulator.request("GET", "/audit/entries?outcome=maybe&actor=0x12&sort=id:asc"),
      400,
    );
    expect(fieldsOf(bad)).toEqual(["query.actor", "query.outcome", "query.sort"]);
  });
});

describe("revocation", () => {
  it("takes the role away at the regulator's next request", async () => {
    const revoked = await al.admin.request<RegulatorView>(
      "POST",
      `/regulators/${regulator.address}/revocation`,
      { reason: "任期结束" },
    );
    expect(revoked).toMatchObject({ active: false });
    expect(revoked.revokedAt).toBeGreaterThan(0);
    const me = await regulator.request<{ roles: string[] }>("GET", "/auth/me");
    expect(me.roles).toEqual(["applicant"]);
    await expectApiError(regulator.request("GET", "/audit/entries"), 403);
    await expectApiError(regulator.request("GET", "/regulators"), 403);
    const onChain = await chainRows(regulator.address);
    await expectApiError(regulator.request("GET", `/emr/records/${al.recordId}`), 403);
    // Without the role the read is refused off chain: no request in its name.
    expect(await chainRows(regulator.address)).toBe(onChain);

    await expectApiError(
      al.admin.request("POST", `/regulators/${regulator.address}/revocation`, {}),
      409,
      "CONFLICT",
    );
    await expectApiError(
      al.admin.request("POST", `/regulators/${Wallet.createRandom().address}/revocation`, {}),
      404,
    );
    const inactive = await al.admin.request<Page<RegulatorView>>("GET", "/regulators?active=false");
    expect(inactive.items.map((r) => r.address)).toEqual([regulator.address]);
    const audited = await stack.app.context.prisma.auditEntry.findFirstOrThrow({
      where: { actor: al.admin.address, resource: `regulator:${regulator.address}` },
      orderBy: { id: "desc" },
    });
    expect(audited.detail).toBe("revoked: 任期结束");

    // Admitted again, the same account holds the role again.
    expect(await admit(al.admin, regulator.address)).toMatchObject({ active: true, revokedAt: null });
    expect((await regulator.request<{ roles: string[] }>("GET", "/auth/me")).roles).toEqual(["regulator"]);
  });
});
