// api.json — the REST API against its own bases, measured in one run on one machine:
//   * end-to-end latency of an EMR write (the doctor's signature is submitted → the record is in MySQL),
//     against the raw devnode transaction latency (a small owner call sent straight through WeBASE REST);
//   * read throughput of the main list endpoints over HTTP (one client, then several at once),
//     against the raw MySQL throughput of the same query through the same Prisma client.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Wallet } from "ethers";
import { ApiActor } from "../lib/api-actor.ts";
import { repoRoot } from "../../server/src/config.ts";
import { startStack, type Stack } from "../../test/support/stack.ts";
import { statsOf, timeOnce } from "./timing.ts";

const WRITES = Number(process.env.BENCH_WRITES ?? 60);
const RAW_TXS = Number(process.env.BENCH_RAW_TXS ?? 100);
const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 3);
const CONCURRENCY = 4;

/** Runs `run` back to back from `clients` loops for `seconds`; returns requests per second and latency. */
async function throughput(run: () => Promise<unknown>, clients: number, seconds: number) {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) samples.push(await timeOnce(run));
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { perSecond: Number((samples.length / elapsed).toFixed(1)), ...statsOf(samples) };
}

async function alliance(stack: Stack) {
  const actor = () => new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
  const admin = new ApiActor(stack.baseUrl, stack.admin);
  const hospital = actor();
  const doctor = actor();
  const patient = actor();
  for (const a of [admin, hospital, doctor, patient]) await a.signIn();
  await hospital.apply("hospital", { name: "基准医院" });
  await admin.decide(hospital.address, "approve");
  await doctor.apply("doctor", { name: "基准医生", department: "心内科" }, hospital.address);
  await hospital.registerDoctor(doctor.address);
  await admin.decide(doctor.address, "approve");
  await patient.apply("patient", { name: "基准患者" });
  await admin.decide(patient.address, "approve");
  return { admin, hospital, doctor, patient };
}

export async function benchApi(): Promise<void> {
  const stack = await startStack();
  try {
    const { admin, hospital, doctor, patient } = await alliance(stack);
    const ctx = stack.app.context;

    // EMR writes: draft and co-sign first, then time only the doctor's signature, which answers once the
    // record is in the MySQL mirror.
    const writeMs: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const draft = await doctor.draftRecord(patient.address, {
        title: `记录 ${i}`,
        chiefComplaint: "胸闷",
        diagnosis: "心绞痛",
        hospital: hospital.address,
      });
      await patient.signDraft(String(draft.id), "patient");
      writeMs.push(await timeOnce(() => doctor.signDraft(String(draft.id), "doctor")));
    }
    const mirrored = await ctx.prisma.emrRecord.count({ where: { patient: patient.address } });
    if (mirrored !== WRITES) throw new Error(`expected ${WRITES} records in MySQL, found ${mirrored}`);

    // The raw devnode: a small owner-only transaction sent straight through WeBASE-Front's REST API.
    const consent = ctx.chain.contracts.ConsentManager;
    const rawTxMs: number[] = [];
    for (let i = 0; i < RAW_TXS; i++)
      rawTxMs.push(await timeOnce(() => consent.send("setBlacklistPolicy", [5 + (i % 2), 86_400_000])));

    // Reads: each list endpoint, and the same query straight to MySQL through Prisma.
    const pageOfRecords = {
      where: { AND: [{ patient: patient.address }] },
      orderBy: { writtenAt: "desc" as const },
      take: 20,
    };
    const rawRecords = () =>
      Promise.all([
        ctx.prisma.emrRecord.findMany(pageOfRecords),
        ctx.prisma.emrRecord.count({ where: pageOfRecords.where }),
      ]);
    const lists: { name: string; actor: ApiActor; path: string }[] = [
      { name: "GET /emr/records (patient)", actor: patient, path: "/emr/records?page=1&pageSize=20" },
      { name: "GET /emr/drafts (doctor)", actor: doctor, path: "/emr/drafts?page=1&pageSize=20" },
      { name: "GET /members (alliance admin)", actor: admin, path: "/members?page=1&pageSize=20" },
      {
        name: "GET /consent/access-log (patient)",
        actor: patient,
        path: "/consent/access-log?page=1&pageSize=20",
      },
      {
        name: "GET /audit/entries (alliance admin)",
        actor: admin,
        path: "/audit/entries?page=1&pageSize=20",
      },
      {
        name: "GET /hospitals/ranking (patient)",
        actor: patient,
        path: "/hospitals/ranking?page=1&pageSize=20",
      },
    ];
    const rawMysql = {
      single: await throughput(rawRecords, 1, READ_SECONDS),
      concurrent: await throughput(rawRecords, CONCURRENCY, READ_SECONDS),
    };
    const endpoints = [];
    for (const l of lists) {
      const single = await throughput(() => l.actor.request("GET", l.path), 1, READ_SECONDS);
      const concurrent = await throughput(() => l.actor.request("GET", l.path), CONCURRENCY, READ_SECONDS);
      endpoints.push({ endpoint: l.name, single, concurrent });
    }
    const emrList = endpoints[0]!;

    const writes = statsOf(writeMs);
    const rawTx = statsOf(rawTxMs);
    const out = {
      measuredAt: new Date().toISOString(),
      machine: "this machine (2 cores); devnode (Hardhat EDR) and MariaDB on loopback",
      emrWrite: {
        what: "POST /emr/drafts/:id/doctor-signature: signature checks, writeRecord through WeBASE-Front, answer once mirrored in MySQL",
        endToEnd: writes,
        rawDevnodeTx: {
          what: "ConsentManager.setBlacklistPolicy sent straight through WeBASE-Front REST",
          ...rawTx,
        },
        ratioP50: Number((writes.p50Ms / rawTx.p50Ms).toFixed(2)),
        ratioP95: Number((writes.p95Ms / rawTx.p95Ms).toFixed(2)),
      },
      reads: {
        rawMysql: {
          what: "the query behind GET /emr/records (page of 20 + count) through Prisma",
          ...rawMysql,
        },
        endpoints,
        emrListShareOfRawMysql: {
          single: Number((emrList.single.perSecond / rawMysql.single.perSecond).toFixed(3)),
          concurrent: Number((emrList.concurrent.perSecond / rawMysql.concurrent.perSecond).toFixed(3)),
        },
      },
      settings: {
        writes: WRITES,
        rawTxs: RAW_TXS,
        readSeconds: READ_SECONDS,
        concurrency: CONCURRENCY,
        recordsInList: WRITES,
      },
    };
    await mkdir(path.join(repoRoot, "bench/results"), { recursive: true });
    await writeFile(path.join(repoRoot, "bench/results/api.json"), JSON.stringify(out, null, 2) + "\n");
    console.log(
      `EMR write end to end: p50 ${writes.p50Ms} ms, p95 ${writes.p95Ms} ms; raw devnode tx p50 ${rawTx.p50Ms} ms (×${out.emrWrite.ratioP50})`,
    );
    console.log(
      `raw MySQL (records page + count): ${rawMysql.single.perSecond}/s single, ${rawMysql.concurrent.perSecond}/s with ${CONCURRENCY}`,
    );
    for (const e of endpoints)
      console.log(
        `${e.endpoint.padEnd(40)} ${String(e.single.perSecond).padStart(8)}/s single ${String(e.concurrent.perSecond).padStart(8)}/s ×${CONCURRENCY}  p95 ${e.concurrent.p95Ms} ms`,
      );
    console.log("wrote bench/results/api.json");
  } finally {
    await stack.close();
  }
}
