/**
 * Clinical departments (诊疗科目) as CP-ABE attribute values: a doctor certified in 心内科 holds
 * `dept:cardiology`. Policy attributes are ASCII, so each department has a code; its names in
 * Chinese and English are what people type and read.
 */
export interface Department {
  code: string;
  zh: string;
  en: string;
}

export const DEPARTMENTS: readonly Department[] = [
  { code: "internal", zh: "内科", en: "Internal medicine" },
  { code: "cardiology", zh: "心内科", en: "Cardiology" },
  { code: "respiratory", zh: "呼吸内科", en: "Respiratory medicine" },
  { code: "gastroenterology", zh: "消化内科", en: "Gastroenterology" },
  { code: "neurology", zh: "神经内科", en: "Neurology" },
  { code: "nephrology", zh: "肾内科", en: "Nephrology" },
  { code: "endocrinology", zh: "内分泌科", en: "Endocrinology" },
  { code: "hematology", zh: "血液科", en: "Hematology" },
  { code: "surgery", zh: "外科", en: "Surgery" },
  { code: "cardiac-surgery", zh: "心外科", en: "Cardiac surgery" },
  { code: "orthopedics", zh: "骨科", en: "Orthopedics" },
  { code: "neurosurgery", zh: "神经外科", en: "Neurosurgery" },
  { code: "urology", zh: "泌尿外科", en: "Urology" },
  { code: "obstetrics-gynecology", zh: "妇产科", en: "Obstetrics and gynecology" },
  { code: "pediatrics", zh: "儿科", en: "Pediatrics" },
  { code: "oncology", zh: "肿瘤科", en: "Oncology" },
  { code: "ophthalmology", zh: "眼科", en: "Ophthalmology" },
  { code: "ent", zh: "耳鼻喉科", en: "Otorhinolaryngology" },
  { code: "dermatology", zh: "皮肤科", en: "Dermatology" },
  { code: "psychiatry", zh: "精神科", en: "Psychiatry" },
  { code: "emergency", zh: "急诊科", en: "Emergency medicine" },
  { code: "icu", zh: "重症医学科", en: "Intensive care" },
  { code: "infectious", zh: "感染科", en: "Infectious diseases" },
  { code: "tcm", zh: "中医科", en: "Traditional Chinese medicine" },
  { code: "radiology", zh: "放射科", en: "Radiology" },
  { code: "laboratory", zh: "检验科", en: "Laboratory medicine" },
];

/** The code of a department given by code, Chinese or English name (case and spaces ignored); null if unknown. */
export function departmentCodeOf(name: string | null | undefined): string | null {
  if (!name) return null;
  const key = name.trim().toLowerCase().replace(/\s+/g, " ");
  const found = DEPARTMENTS.find((d) => d.code === key || d.zh === key || d.en.toLowerCase() === key);
  return found?.code ?? null;
}
