import type { ApiActor } from "../../scripts/lib/api-actor.ts";
import { writeRecord, type Alliance } from "./alliance.ts";
import { grantOnChain } from "./chain-acts.ts";
import type { Stack } from "./stack.ts";

// What the research tests share: a third hospital that brings nothing, and records held under
// research (level-2) grants and rated, so that a project's Shapley run has known contributions:
//   hospital A: record 1 (rated value 3 / rarity 2 → 165 tenths) and record 2 (unrated → 35);
//   hospital B: record 1 and, through its doctor's grant, record 3 (value 2 / rarity 1 → 95);
//   hospital C: only a view grant (level 1), which brings nothing to research.
// W(A) = 200, W(B) = 260, W(AB) = 295.

export interface ResearchData {
  hospitalC: ApiActor;
  record2: string;
  record3: string;
}

export async function buildResearchData(stack: Stack, al: Alliance): Promise<ResearchData> {
  const hospitalC = al.newActor();
  await hospitalC.signIn();
  await hospitalC.apply("hospital", { name: "丙医院" });
  await al.admin.decide(hospitalC.address, "approve");
  const record2 = await writeRecord(al.doctorA, al.patientA, al.hospitalA, {
    title: "复诊",
    chiefComplaint: "胸闷",
    diagnosis: "稳定型心绞痛",
  });
  const record3 = await writeRecord(al.doctorB, al.patientB, al.hospitalB, {
    title: "门诊",
    chiefComplaint: "头晕",
    diagnosis: "高血压",
  });

  await grantOnChain(stack, al.patientA.wallet, {
    recordId: al.recordId,
    grantee: al.hospitalA.address,
    level: 2,
  });
  await grantOnChain(stack, al.patientA.wallet, {
    recordId: record2,
    grantee: al.hospitalA.address,
    level: 2,
  });
  await grantOnChain(stack, al.patientA.wallet, {
    recordId: al.recordId,
    grantee: al.hospitalB.address,
    level: 2,
  });
  await grantOnChain(stack, al.patientB.wallet, { recordId: record3, grantee: al.doctorB.address, level: 2 });
  // View-only grants: C's on record 2, and B's on record 3 (which lets B rate it).
  await grantOnChain(stack, al.patientA.wallet, { recordId: record2, grantee: hospitalC.address, level: 1 });
  await grantOnChain(stack, al.patientB.wallet, {
    recordId: record3,
    grantee: al.hospitalB.address,
    level: 1,
  });
  // Ratings: 4·VALUE + 3·RARITY tenths: record 1 → 4·30 + 3·15 = 165; record 3 → 4·20 + 3·5 = 95.
  await al.hospitalB.request("POST", `/points/records/${al.recordId}/rating`, {
    valueLevel: 3,
    rarityLevel: 2,
  });
  await al.hospitalB.request("POST", `/points/records/${record3}/rating`, { valueLevel: 2, rarityLevel: 1 });
  return { hospitalC, record2, record3 };
}
