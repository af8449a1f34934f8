/**
 * Gas of PatientDelegation, ConsentManager and EmergencyAccess: every external non-view function called
 * once on a happy path on a devnode of its own. `requestAccess` and `requestAccessUnderPolicy` are
 * measured on a granted request (a record grant to the hospital, to the policy's account);
 * `requestAccessFor` on a denial (the person holds no grant), which also counts it; `liftBlacklist` after
 * one denial blacklisted the requester (policy 1 per day).
 */
import { measureGas, type GasRow } from "../gas-recorder.ts";
import {
  DAY_MS,
  KIND,
  LEVEL,
  breakGlassTx,
  certify,
  complaintTx,
  delegateTx,
  deployConsentFixture,
  grantTx,
  hashOf,
  liftTx,
  newWallet,
  reviewTx,
  revokeDelegationTx,
  revokeTx,
  writeRecordOf,
} from "../consent-fixture.ts";
import { categoryOf } from "../../../sdk/src/typed/consent.ts";

export function gasScenario(): Promise<GasRow[]> {
  return measureGas(async (chain, row) => {
    const fx = await deployConsentFixture(chain);

    row("PatientDelegation", "delegate", (await delegateTx(fx, { scopes: 7 })).receipt);
    row(
      "PatientDelegation",
      "revokeDelegation",
      (await revokeDelegationTx(fx, fx.patient.address, fx.delegate.address)).receipt,
    );

    const recordId = await writeRecordOf(fx);
    const category = categoryOf("cardiology");
    row("ConsentManager", "classifyRecord", await fx.consent.send("classifyRecord", [recordId, category]));
    row(
      "ConsentManager",
      "grant",
      (await grantTx(fx, { scope: recordId, scopeKind: KIND.record, level: LEVEL.research })).receipt,
    );
    row(
      "ConsentManager",
      "requestAccess",
      await fx.consent.send("requestAccess", [recordId, hashOf("referral")], { user: fx.operator2 }),
    );
    row(
      "ConsentManager",
      "requestAccessFor",
      await fx.consent.send("requestAccessFor", [recordId, fx.doctor2.address, hashOf("audit")], { user: fx.owner }),
    );
    const policyAccount = newWallet().address;
    await grantTx(fx, { scope: recordId, scopeKind: KIND.record, grantee: policyAccount, level: LEVEL.view });
    row(
      "ConsentManager",
      "requestAccessUnderPolicy",
      await fx.consent.send(
        "requestAccessUnderPolicy",
        [recordId, fx.doctor.address, policyAccount, hashOf("treatment")],
        { user: fx.owner },
      ),
    );
    row("ConsentManager", "revoke", (await revokeTx(fx, { scope: recordId })).receipt);
    row("ConsentManager", "fileComplaint", (await complaintTx(fx)).receipt);
    row(
      "ConsentManager",
      "setBlacklistPolicy",
      await fx.consent.send("setBlacklistPolicy", [1, DAY_MS], { user: fx.owner }),
    );
    await fx.consent.send("requestAccess", [recordId, hashOf("fishing")], { user: fx.operator2 });
    row("ConsentManager", "liftBlacklist", (await liftTx(fx, fx.hospital2.address)).receipt);

    await certify(fx, fx.doctor);
    row("EmergencyAccess", "breakGlass", (await breakGlassTx(fx, recordId, { reasonCode: 3 })).receipt);
    row("EmergencyAccess", "reviewEmergency", (await reviewTx(fx, 1n, 1)).receipt);
    row(
      "EmergencyAccess",
      "setRateLimit",
      await fx.emergency.send("setRateLimit", [5, DAY_MS], { user: fx.owner }),
    );
  });
}
