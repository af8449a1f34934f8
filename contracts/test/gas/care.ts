/**
 * Gas of CareProcess and HospitalScore: every external non-view function called once on a happy path on
 * a devnode of its own. `recordStep` is measured on the step that finishes an outpatient visit (step 5,
 * StepRecorded + VisitFinished), the heaviest of the common steps; steps 1–3 before it only set it up.
 */
import { measureGas, type GasRow } from "../gas-recorder.ts";
import { setHospitalLevel } from "../fixture.ts";
import { adjust, careFixture, giveFeedback, openVisit, recordStep, recordSteps } from "../care-fixture.ts";
import { SCORE_REASON } from "../../../sdk/src/typed/care.ts";

export function gasScenario(): Promise<GasRow[]> {
  return measureGas(async (chain, row) => {
    const cf = await careFixture(chain);

    const { visitId, receipt: opened } = await openVisit(cf);
    row("CareProcess", "openVisit", opened);
    await recordSteps(cf, visitId, [1, 2, 3]);
    row("CareProcess", "recordStep", (await recordStep(cf, visitId, 5)).receipt);

    await setHospitalLevel(cf, cf.hospital.address, 3);
    row("HospitalScore", "initialize", await cf.score.send("initialize", [cf.hospital.address]));
    row("HospitalScore", "adjust", (await adjust(cf, SCORE_REASON.misdiagnosis, -50n)).receipt);
    row("HospitalScore", "feedback", (await giveFeedback(cf, visitId, 5)).receipt);
  });
}
