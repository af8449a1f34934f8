// De-identification of a 200-field record bundle, and Shamir splitting/recovery of a private key
// (plus sealing a share with scrypt N = 2^15), measured on this machine. Returns numbers; writes nothing.
import {
  createWallet,
  decryptShare,
  deidentifyBundle,
  encryptShare,
  makeEmrBundle,
  newExportSalt,
  recoverKey,
  splitKey,
  type Bundle,
} from "../../sdk/src/index.ts";
import { timeRuns } from "./timing.ts";

const FIELDS = 200;

function leafCount(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + leafCount(x), 0);
  if (typeof v === "object" && v !== null)
    return Object.values(v).reduce((n: number, x) => n + leafCount(x), 0);
  return 1;
}

/** An EMR bundle (makeEmrBundle) plus lab Observations with identifiers in their notes, grown to `fields` leaves. */
function bundleOf(fields: number): Bundle {
  const b = makeEmrBundle({
    patient: { address: "0x2222222222222222222222222222222222222222", name: "赵六" },
    doctor: { address: "0x3333333333333333333333333333333333333333", name: "钱七" },
    hospital: { address: "0x4444444444444444444444444444444444444444", name: "第一人民医院" },
    title: "门诊病历",
    chiefComplaint: "咳嗽三天，伴发热",
    diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code: "J20.9", display: "急性支气管炎" },
    notes: "赵六自述夜间咳嗽加重，联系电话 13700001234，身份证 110101199003074514",
    createdAt: "2025-01-02T03:04:05Z",
  });
  const patientRef = b.entry![1]!.fullUrl!;
  for (let i = 0; leafCount(b) < fields; i++) {
    b.entry!.push({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resource: {
        resourceType: "Observation",
        id: `lab-${i}`,
        status: "final",
        code: { coding: [{ system: "http://loinc.org", code: "718-7" }], text: "Hemoglobin" },
        subject: { reference: patientRef, display: "赵六" },
        effectiveDateTime: "2025-01-02T08:00:00+08:00",
        valueString: `${120 + i} g/L，复查电话13700001234`,
      },
    });
  }
  return b;
}

const time = (n: number, f: () => unknown) => timeRuns(n, f);

export async function benchDeid() {
  const bundle = bundleOf(FIELDS);
  const salt = newExportSalt();
  await time(20, () => deidentifyBundle(bundle, { salt })); // warm-up
  const deid = await time(200, () => deidentifyBundle(bundle, { salt }));

  const key = createWallet().privateKey;
  await time(20, () => splitKey(key, { shares: 5, threshold: 3 }));
  const split = await time(200, () => splitKey(key, { shares: 5, threshold: 3 }));
  const shares = await splitKey(key, { shares: 5, threshold: 3 });
  const combine = await time(200, () => recoverKey(shares.slice(0, 3)));

  const sealed = await encryptShare(shares[0]!, "guardian password");
  const seal = await time(5, () => encryptShare(shares[0]!, "guardian password"));
  const open = await time(5, () => decryptShare(sealed, "guardian password"));
  return {
    deidentify: { fields: leafCount(bundle), resources: bundle.entry!.length, ...deid },
    splitKey3of5: split,
    recoverKey3of5: combine,
    sealShareScryptN2e15: seal,
    openShareScryptN2e15: open,
  };
}
