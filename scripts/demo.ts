// Loads a small demo through the REST API, exactly as people would: an alliance admin, a hospital, its
// doctor and a patient, each admitted, and one dual-signed record. Safe to run again: whoever is
// already admitted is left as is. Usage: tsx scripts/demo.ts [--print-admin]
import { keccak256, toUtf8Bytes, Wallet } from "ethers";
import { ApiActor } from "./lib/api-actor.ts";

/** Demo keys are derived from fixed phrases so the README can list them; never use them for real data. */
export const demoWallet = (who: string) => new Wallet(keccak256(toUtf8Bytes(`yiyuanliao demo ${who}`)));

export const DEMO = {
  admin: { wallet: demoWallet("alliance admin"), label: "联盟管理员 Alliance admin" },
  hospital: { wallet: demoWallet("hospital"), label: "示范医院 Demo hospital" },
  doctor: { wallet: demoWallet("doctor"), label: "李医生 Dr. Li (cardiology)" },
  patient: { wallet: demoWallet("patient"), label: "张三 Zhang San (patient)" },
};

async function ensureMember(admin: ApiActor, actor: ApiActor, apply: () => Promise<unknown>, hospitalActor?: ApiActor) {
  const session = (await actor.signIn()) as { member: { status: string } | null };
  let status = session.member?.status;
  if (!status || status === "rejected") status = ((await apply()) as { status: string }).status;
  if (status === "awaiting-hospital" && hospitalActor) {
    await hospitalActor.signIn();
    status = ((await hospitalActor.registerDoctor(actor.address)) as { status: string }).status;
  }
  if (status === "pending") await admin.decide(actor.address, "approve");
  await actor.signIn();
}

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
  const [admin, hospital, doctor, patient] = [DEMO.admin, DEMO.hospital, DEMO.doctor, DEMO.patient].map(
    (d) => new ApiActor(base, d.wallet),
  ) as [ApiActor, ApiActor, ApiActor, ApiActor];
  await admin.signIn();
  await ensureMember(admin, hospital, () => hospital.apply("hospital", { name: "示范医院", level: "三级甲等", city: "北京" }));
  await ensureMember(admin, doctor, () => doctor.apply("doctor", { name: "李医生", department: "心内科" }, hospital.address), hospital);
  await ensureMember(admin, patient, () => patient.apply("patient", { name: "张三" }));

  const records = await patient.request<{ total: number }>("GET", "/emr/records");
  if (records.total === 0) {
    const draft = await doctor.draftRecord(patient.address, {
      title: "门诊病历：胸闷待查",
      chiefComplaint: "活动后胸闷两天，休息后缓解",
      diagnosis: "稳定型心绞痛",
      notes: "建议冠脉CTA检查，两周后复诊",
      hospital: hospital.address,
    });
    await patient.signDraft(draft.id as string, "patient");
    await doctor.signDraft(draft.id as string, "doctor");
  }
  console.log("demo data ready:");
  for (const d of Object.values(DEMO)) console.log(`  ${d.label.padEnd(32)} ${d.wallet.address}  key ${d.wallet.privateKey}`);
}

await main();
