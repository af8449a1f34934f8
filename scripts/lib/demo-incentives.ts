import { ApiActor } from "./api-actor.ts";
import { adjustScore, giveFeedback, grantRecord, openVisit, recordStep } from "./api-acts.ts";
import { demoWallet, ensureMember, type Page } from "./demo-members.ts";
import { addProjectMember, createProject } from "./research-acts.ts";

// The part of the demo the incentive pages show: more doctors and patients with finished, rated
// visits (doctor recommendations, hospital scores), records shared for research and rated (the
// patient's points, tier and perks; the hospitals' value ratings and their entropy hint), two visits
// waiting in a queue, the admin's score adjustments, and a research project whose Shapley allocation
// the admin can record.

export interface DemoCore {
  base: string;
  admin: ApiActor;
  hospital: ApiActor;
  hospital2: ApiActor;
  doctor: ApiActor;
  doctor2: ApiActor;
  patient: ApiActor;
  recordId: string;
}

const DOCTORS = [
  { key: "doctor 3", name: "陈医生", department: "心内科", at: "hospital" },
  { key: "doctor 4", name: "刘医生", department: "神经内科", at: "hospital2" },
  { key: "doctor 5", name: "赵医生", department: "神经内科", at: "hospital" },
] as const;
const PATIENTS = ["李四", "王五", "赵六", "孙七", "周八", "吴九"] as const;
type DoctorName = "李医生" | "王医生" | (typeof DOCTORS)[number]["name"];
/** Each patient's visits: the doctor who saw them and the patient's rating (1–5). */
const RATINGS: Record<(typeof PATIENTS)[number], [DoctorName, number][]> = {
  李四: [
    ["李医生", 5],
    ["陈医生", 5],
    ["刘医生", 2],
  ],
  王五: [
    ["李医生", 5],
    ["陈医生", 4],
    ["赵医生", 4],
  ],
  赵六: [
    ["王医生", 3],
    ["陈医生", 4],
    ["刘医生", 5],
  ],
  孙七: [
    ["李医生", 2],
    ["王医生", 5],
    ["赵医生", 3],
  ],
  周八: [
    ["李医生", 4],
    ["陈医生", 5],
    ["刘医生", 4],
  ],
  吴九: [
    ["王医生", 4],
    ["赵医生", 5],
    ["刘医生", 3],
  ],
};
/** The patient's further records, each shared for research with both hospitals and rated (value, rarity). */
const RESEARCH_RECORDS: {
  title: string;
  diagnosis: string;
  levels: [number, number];
  readers: DoctorName[];
}[] = [
  {
    title: "冠脉CTA报告",
    diagnosis: "冠状动脉粥样硬化",
    levels: [3, 3],
    readers: ["王医生", "刘医生", "陈医生", "赵医生"],
  },
  { title: "心脏彩超", diagnosis: "左室舒张功能减退", levels: [3, 2], readers: ["王医生", "王医生"] },
  { title: "动态心电图", diagnosis: "偶发室性早搏", levels: [2, 3], readers: [] },
  { title: "运动负荷试验", diagnosis: "运动试验阳性", levels: [3, 3], readers: [] },
  { title: "血脂复查", diagnosis: "高脂血症", levels: [2, 2], readers: [] },
];
const YEAR_MS = 365 * 86_400_000;

/** A visit from opening to payment (steps 1, 2, 3, 5), seen by `doctor`, then rated by the patient. */
async function ratedVisit(patient: ApiActor, hospital: string, doctor: ApiActor, rating: number) {
  const visitId = String((await openVisit(patient, hospital)).visitId);
  await recordStep(doctor, visitId, 1, "门诊挂号");
  await recordStep(doctor, visitId, 2, "取号");
  await recordStep(doctor, visitId, 3, { complaint: "复诊", plan: "继续观察" });
  await recordStep(doctor, visitId, 5, { prescription: "按医嘱用药" });
  await giveFeedback(patient, visitId, rating, rating >= 4 ? "满意" : "一般");
}

export async function loadIncentives(c: DemoCore): Promise<void> {
  const hospitals = { hospital: c.hospital, hospital2: c.hospital2 };
  const doctors = new Map<DoctorName, { actor: ApiActor; hospital: ApiActor }>([
    ["李医生", { actor: c.doctor, hospital: c.hospital }],
    ["王医生", { actor: c.doctor2, hospital: c.hospital2 }],
  ]);
  for (const d of DOCTORS) {
    const actor = new ApiActor(c.base, demoWallet(d.key));
    const hospital = hospitals[d.at];
    await ensureMember(
      c.admin,
      actor,
      () => actor.apply("doctor", { name: d.name, department: d.department }, hospital.address),
      hospital,
    );
    doctors.set(d.name, { actor, hospital });
  }

  const patients = PATIENTS.map((name) => ({
    name,
    actor: new ApiActor(c.base, demoWallet(`patient ${name}`)),
  }));
  for (const p of patients) {
    await ensureMember(c.admin, p.actor, () => p.actor.apply("patient", { name: p.name }));
    if ((await p.actor.request<Page<unknown>>("GET", "/visits")).total > 0) continue;
    for (const [doctorName, rating] of RATINGS[p.name]) {
      const d = doctors.get(doctorName)!;
      await ratedVisit(p.actor, d.hospital.address, d.actor, rating);
    }
  }

  const named = (name: DoctorName) => doctors.get(name)!.actor;
  const mine = await c.patient.request<Page<{ recordId: string }>>("GET", "/emr/records?pageSize=100");
  if (mine.total < 1 + RESEARCH_RECORDS.length) {
    // The first record too goes to research at the first hospital; its doctors and the second
    // hospital's read it, so its value hint has two institutions to go on.
    await grantRecord(c.patient, c.recordId, c.hospital.address, "research", Date.now() + YEAR_MS);
    await c.doctor2.readRecord(c.recordId);
    await doctors.get("陈医生")!.actor.readRecord(c.recordId);
    await c.hospital2.request("POST", `/points/records/${c.recordId}/rating`, {
      valueLevel: 3,
      rarityLevel: 2,
    });
    await c.admin.request("POST", `/points/records/${c.recordId}/settlement`, {});
    for (const r of RESEARCH_RECORDS) {
      const draft = await c.doctor.draftRecord(c.patient.address, {
        title: r.title,
        chiefComplaint: "胸闷复查",
        diagnosis: r.diagnosis,
        hospital: c.hospital.address,
      });
      await c.patient.signDraft(String(draft.id), "patient");
      const { recordId } = (await c.doctor.signDraft(String(draft.id), "doctor")) as { recordId: string };
      for (const h of [c.hospital, c.hospital2])
        await grantRecord(c.patient, recordId, h.address, "research", Date.now() + YEAR_MS);
      // Reads spread over institutions give the value hint something to go on.
      for (const reader of r.readers) await named(reader).readRecord(recordId);
      await c.hospital2.request("POST", `/points/records/${recordId}/rating`, {
        valueLevel: r.levels[0],
        rarityLevel: r.levels[1],
      });
      await c.admin.request("POST", `/points/records/${recordId}/settlement`, {});
    }
  }

  // Two patients waiting at the first hospital, the one with fewer points first.
  const waiting = await c.hospital.request<Page<unknown>>("GET", "/visits?finished=false");
  if (waiting.total === 0) {
    for (const p of [patients[0]!.actor, c.patient]) {
      const visitId = String((await openVisit(p, c.hospital.address)).visitId);
      await recordStep(c.doctor, visitId, 1, "心内科普通门诊挂号");
    }
  }

  // The alliance's own evaluation of the hospitals, with evidence, beside the patients' feedback.
  const adjusted = await c.admin.request<Page<unknown>>(
    "GET",
    `/hospitals/${c.hospital.address}/score/history?kind=adjustment`,
  );
  if (adjusted.total === 0) {
    await adjustScore(c.admin, c.hospital.address, 2, 30, "成功救治急性心肌梗死合并心源性休克患者一例");
    await adjustScore(c.admin, c.hospital2.address, 4, -10, "诊后随访不及时，患者投诉一例");
  }

  const projects = await c.admin.request<Page<unknown>>("GET", "/research/projects");
  if (projects.total === 0) {
    const projectId = await createProject(
      c.admin,
      "心血管多中心队列研究",
      "100000",
      "两家示范医院以科研授权的病历共建冠心病队列，成果收益按 Shapley 值分配",
    );
    for (const h of [c.hospital, c.hospital2]) await addProjectMember(c.admin, projectId, h.address);
  }
}
