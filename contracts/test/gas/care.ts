/**
 * Gas of CareProcess and HospitalScore: every external non-view function called once on a happy path on
 * a devnode of its own. `recordStep` is measured on the step that finishes an outpatient visit (step 5,
 * StepRecorded + VisitFinished), the heaviest of the common steps; steps 1–3 before it only set it up.
 */
import { startChain } from "../fixture.ts";
import {
  adjust,
  careFixture,
  giveFeedback,
  openVisit,
  recordStep,
  recordSteps,
  setLevel,
} from "../care-fixture.ts";
import { SCORE_REASON } from "../../../sdk/src/typed/care.ts";
import type { TransactionReceipt } from "@yyl/sdk";

export async function gasScenario(): Promise<{ contract: string; fn: string; gasUsed: number }[]> {
  const chain = await startChain();
  try {
    const cf = await careFixture(chain);
    const rows: { contract: string; fn: string; gasUsed: number }[] = [];
    const row = (contract: string, fn: string, r: TransactionReceipt): void => {
      if (!r.statusOK) throw new Error(`${contract}.${fn} failed`);
      rows.push({ contract, fn, gasUsed: Number(r.gasUsed) });
    };

    const { visitId, receipt: opened } = await openVisit(cf);
    row("CareProcess", "openVisit", opened);
    await recordSteps(cf, visitId, [1, 2, 3]);
    row("CareProcess", "recordStep", (await recordStep(cf, visitId, 5)).receipt);

    await setLevel(cf, cf.hospital.address, 3);
    row("HospitalScore", "initialize", await cf.score.send("initialize", [cf.hospital.address]));
    row("HospitalScore", "adjust", (await adjust(cf, SCORE_REASON.misdiagnosis, -50n)).receipt);
    row("HospitalScore", "feedback", (await giveFeedback(cf, visitId, 5)).receipt);
    return rows;
  } finally {
    await chain.close();
  }
}
