// Loads a small demo through the REST API, exactly as people would: an alliance admin, two hospitals
// with a certified cardiologist each, a patient, a regulator; one dual-signed record shared with the
// second hospital and with every certified cardiologist (a CP-ABE policy),
// hospital levels and scores, and a finished visit the patient rated; then what the incentive pages
// show (scripts/lib/demo-incentives.ts). Safe to run again: what exists is left as is. Usage: tsx scripts/demo.ts [--print-admin]
import { ApiActor } from "./lib/api-actor.ts";
import { demoWallet, ensureMember, type Page } from "./lib/demo-members.ts";
import { loadIncentives } from "./lib/demo-incentives.ts";
import { policyGranteeOf } from "@yyl/sdk";
import { giveFeedback, grantRecord, grantRecordToPolicy, openVisit, recordStep, setHospitalLevel } from "./lib/api-acts.ts";

export const DEMO = {
  admin: { wallet: demoWallet("alliance admin"), label: "联盟管理员 Alliance admin" },
  hospital: { wallet: demoWallet("hospital"), label: "示范医院 Demo hospital" },
  doctor: { wallet: demoWallet("doctor"), label: "李医生 Dr. Li (cardiology)" },
  patient: { wallet: demoWallet("patient"), label: "张三 Zhang San (patient)" },
  hospital2: { wallet: demoWallet("hospital 2"), label: "第二示范医院 Second hospital" },
  doctor2: { wallet: demoWallet("doctor 2"), label: "王医生 Dr. Wang (cardiology)" },
  regulator: { wallet: demoWallet("regulator"), label: "市卫健委 City health commission" },
};

const CARDIOLOGISTS = "role:doctor AND certified:yes AND dept:cardiology";

/** The mirror must have caught up with the chain before the demo reads memberships from it. */
async function waitForIndexer(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const h = (await (await fetch(`${base}/api/health`)).json()) as { chain: { blockNumber: number | null }; indexer: { blockNumber: number } };
    if (h.chain.blockNumber !== null && h.indexer.blockNumber >= h.chain.blockNumber) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the indexer did not catch up with the chain within 2 minutes");
}

async function main() {
  if (process.argv.includes("--print-admin")) {
    console.log(DEMO.admin.wallet.address);
    return;
  }
  const base = process.env.API_URL ?? "http://127.0.0.1:8080";
  await waitForIndexer(base);
  const [admin, hospital, doctor, patient, hospital2, doctor2, regulator] = [
    DEMO.admin,
    DEMO.hospital,
    DEMO.doctor,
    DEMO.patient,
    DEMO.hospital2,
    DEMO.doctor2,
    DEMO.regulator,
  ].map((d) => new ApiActor(base, d.wallet)) as ApiActor[] as [ApiActor, ApiActor, ApiActor, ApiActor, ApiActor, ApiActor, ApiActor];
  await admin.signIn();
  await ensureMember(admin, hospital, () => hospital.apply("hospital", { name: "示范医院", level: "三级甲等", city: "北京" }));
  await ensureMember(admin, doctor, () => doctor.apply("doctor", { name: "李医生", department: "心内科" }, hospital.address), hospital);
  await ensureMember(admin, patient, () => patient.apply("patient", { name: "张三" }));
  await ensureMember(admin, hospital2, () => hospital2.apply("hospital", { name: "第二示范医院", level: "二级甲等", city: "天津" }));
  await ensureMember(admin, doctor2, () => doctor2.apply("doctor", { name: "王医生", department: "心内科" }, hospital2.address), hospital2);

  for (const [h, level] of [[hospital, 3], [hospital2, 2]] as const) {
    const score = await admin.request<{ level: number | null; initialized: boolean }>("GET", `/hospitals/${h.address}/score`);
    if (!score.level) await setHospitalLevel(admin, h.address, level);
    if (!score.initialized) await admin.request("POST", `/hospitals/${h.address}/score/initialization`, {});
  }

  // Each hospital certifies its cardiologist: the alliance then attests `dept:cardiology` in their attribute key.
  for (const [h, d] of [[hospital, doctor], [hospital2, doctor2]] as const) {
    const c = await h.request<{ status: string }>("GET", `/members/${d.address}/certification`);
    if (c.status !== "valid")
      await h.request("POST", `/members/${d.address}/certification`, { credential: "执业医师资格证（心血管内科）", expiresAt: Date.now() + 365 * 86_400_000 });
  }

  const regulators = await admin.request<Page<{ address: string }>>("GET", `/regulators?pageSize=100`);
  if (!regulators.items.some((r) => r.address === regulator.address)) {
    await admin.request("POST", "/regulators", {
      address: regulator.address,
      name: "市卫健委审计员",
      organization: "示范市卫生健康委员会",
      kind: "health-authority",
      jurisdiction: "city",
      region: "示范市",
    });
  }

  const records = await patient.request<Page<{ recordId: string }>>("GET", "/emr/records");
  let recordId = records.items[0]?.recordId;
  if (!recordId) {
    const draft = await doctor.draftRecord(patient.address, {
      title: "门诊病历：胸闷待查",
      chiefComplaint: "活动后胸闷两天，休息后缓解",
      diagnosis: "稳定型心绞痛",
      notes: "建议冠脉CTA检查，两周后复诊",
      hospital: hospital.address,
    });
    await patient.signDraft(draft.id as string, "patient");
    recordId = ((await doctor.signDraft(draft.id as string, "doctor")) as { recordId: string }).recordId;
  }
  // a referral: the patient shares the record with the second hospital for 30 days
  const shared = await patient.request<Page<unknown>>("GET", `/consent/grants?grantee=${hospital2.address}&status=active`);
  if (shared.total === 0) await grantRecord(patient, recordId, hospital2.address, "view", Date.now() + 30 * 86_400_000);
  // and with every certified cardiologist of the alliance, as a CP-ABE policy
  const byPolicy = await patient.request<Page<unknown>>("GET", `/consent/grants?grantee=${policyGranteeOf(CARDIOLOGISTS)}&status=active`);
  if (byPolicy.total === 0) await grantRecordToPolicy(patient, recordId, CARDIOLOGISTS, "view", Date.now() + 30 * 86_400_000);

  // a finished outpatient visit, each step signed by the doctor, rated by the patient
  const visits = await patient.request<Page<unknown>>("GET", "/visits");
  if (visits.total === 0) {
    const visit = await openVisit(patient, hospital.address);
    const visitId = String(visit.visitId);
    await recordStep(doctor, visitId, 1, "心内科普通门诊挂号");
    await recordStep(doctor, visitId, 2, "取号 A012");
    await recordStep(doctor, visitId, 3, { complaint: "胸闷", plan: "心电图、血脂" });
    await recordStep(doctor, visitId, 4, { test: "血脂四项", result: "LDL-C 3.9 mmol/L" });
    await recordStep(doctor, visitId, 5, { prescription: "阿托伐他汀 20mg qn" });
    await giveFeedback(patient, visitId, 5, "医生耐心细致");
  }
  await loadIncentives({ base, admin, hospital, hospital2, doctor, doctor2, patient, recordId });
  console.log("demo data ready:");
  for (const d of Object.values(DEMO)) console.log(`  ${d.label.padEnd(32)} ${d.wallet.address}  key ${d.wallet.privateKey}`);
}

await main();
