/**
 * Gas of every external non-view function of AllianceRegistry and EmrRegistry, each called once on a
 * happy path on a fresh devnode (read by `scripts/bench.ts`). The numbers are the receipts' gasUsed.
 */
import { measureGas, type GasRow } from "../gas-recorder.ts";
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
  updateRecord,
  writeRecord,
} from "../fixture.ts";

export function gasScenario(): Promise<GasRow[]> {
  return measureGas(async (chain, row) => {
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
  });
}
