/**
 * Gas of every external non-view function of ContributionPoints and ResearchAllocation, each called once
 * on a happy path on a devnode of its own (read by `scripts/bench.ts`). `rate` is a record's first rating
 * and `settle` its first settlement with three grantees (ConsentManager.shareOf walks the grantees, so
 * settle grows with them); `allocate` is a member's first allocation.
 */
import { measureGas, type GasRow } from "../gas-recorder.ts";
import { GRANT_LEVEL } from "../../../sdk/src/typed/consent.ts";
import { hashOf, newWallet } from "../fixture.ts";
import {
  addMember,
  allocate,
  commitInputs,
  createProject,
  finalize,
  grantAccess,
  newProjectId,
  newSharedRecord,
  pointsFixture,
  rate,
  researchFixture,
  settle,
} from "../points-fixture.ts";

export function gasScenario(): Promise<GasRow[]> {
  return measureGas(async (chain, row) => {
    const fx = await pointsFixture(chain);
    const id = await newSharedRecord(fx);
    await grantAccess(fx, id, fx.hospital2.address, GRANT_LEVEL.research);
    await grantAccess(fx, id, fx.hospital3.address, GRANT_LEVEL.view);
    await grantAccess(fx, id, newWallet().address, GRANT_LEVEL.research);
    row("ContributionPoints", "rate", await rate(fx, id, 2, 3, fx.operator2));
    row("ContributionPoints", "settle", await settle(fx, id));

    const rx = await researchFixture(chain);
    const R = "ResearchAllocation";
    const pid = newProjectId();
    row(R, "createProject", await createProject(rx, pid, 1000n));
    row(R, "addMember", await addMember(rx, pid, rx.hospital.address));
    await addMember(rx, pid, rx.hospital2.address);
    row(R, "commitInputs", await commitInputs(rx, pid, hashOf("v(S) for every coalition")));
    row(R, "allocate", await allocate(rx, pid, rx.hospital.address, 600n));
    await allocate(rx, pid, rx.hospital2.address, 400n);
    row(R, "finalize", await finalize(rx, pid));
  });
}
