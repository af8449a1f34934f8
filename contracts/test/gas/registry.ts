/**
 * Gas of every external non-view function of AllianceRegistry and EmrRegistry, each called once on a
 * happy path on a fresh devnode (read by `scripts/bench.ts`). The numbers are the receipts' gasUsed.
 */
import type { TransactionReceipt } from "@yyl/sdk";
import {
  DECISION,
  HOSPITAL_LEVEL,
  applyHospital,
  applyPatient,
  certifyDoctor,
  decide,
  deleteRecord,
  deployDelegation,
  deployFixture,
  hashOf,
  newDeletion,
  newRecord,
  newUpdate,
  newWallet,
  registerDoctor,
  setHospitalLevel,
  startChain,
  updateRecord,
  writeRecord,
} from "../fixture.ts";

export interface GasRow {
  contract: string;
  fn: string;
  gasUsed: number;
}

export async function gasScenario(): Promise<{ contract: string; fn: string; gasUsed: number }[]> {
  const chain = await startChain();
  const rows: GasRow[] = [];
  const row = (contract: string, fn: string, r: TransactionReceipt): void => {
    if (!r.statusOK) throw new Error(`${contract}.${fn} failed: ${r.message ?? r.status}`);
    rows.push({ contract, fn, gasUsed: Number(BigInt(r.gasUsed)) });
  };
  try {
    const fx = await deployFixture(chain);
    const A = "AllianceRegistry";
    const E = "EmrRegistry";

    row(A, "applyAsPatient", await applyPatient(fx));
    await decide(fx, fx.patient.address, DECISION.approve);
    row(A, "applyAsHospital", await applyHospital(fx));
    row(A, "decide", await decide(fx, fx.hospital.address, DECISION.approve));
    row(A, "registerDoctor", await registerDoctor(fx));
    await decide(fx, fx.doctor.address, DECISION.approve);
    const extraAdmin = newWallet().address;
    row(A, "addAdmin", await fx.alliance.send("addAdmin", [extraAdmin]));
    row(A, "removeAdmin", await fx.alliance.send("removeAdmin", [extraAdmin]));
    row(A, "setHospitalLevel", await setHospitalLevel(fx, fx.hospital.address, HOSPITAL_LEVEL.third));
    row(A, "certifyDoctor", await certifyDoctor(fx));
    row(
      A,
      "revokeCertification",
      await fx.alliance.send("revokeCertification", [fx.doctor.address, hashOf("gas")], {
        user: fx.operator,
      }),
    );

    const delegation = await deployDelegation(fx);
    row(E, "setDelegation", await fx.emr.send("setDelegation", [delegation.address], { user: fx.owner }));

    const r = newRecord(fx);
    row(E, "writeRecord", await writeRecord(fx, r));
    row(E, "updateRecord", await updateRecord(fx, newUpdate(fx, r.recordId, 2n)));
    row(E, "deleteRecord", await deleteRecord(fx, newDeletion(r.recordId)));
    return rows;
  } finally {
    await chain.close();
  }
}
