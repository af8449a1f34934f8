// What a client spends on one record version end to end: the doctor sealing a Bundle for its readers
// (3 member keys plus the escrow key, and 0, 1 or 2 CP-ABE policies) and a reader opening it, by
// their own ECIES wrap or by a policy wrap.
import {
  abeKeyGen,
  abeSetup,
  clearAbeHashCache,
  makeEmrBundle,
  openRecordVersion,
  publicKeyOf,
  recordIdOf,
  sealRecordVersion,
  serializeAbePublicKey,
  serializeAbeUserKey,
  type VersionReaders,
} from "@yyl/sdk";
import { Wallet } from "ethers";
import { timeRuns } from "./timing.ts";

const SAMPLES = 20;

export async function benchRecord() {
  const [patient, doctor, guardian, escrow] = Array.from({ length: 4 }, () => Wallet.createRandom());
  const { publicKey, masterKey } = await abeSetup();
  const hospital = "0x" + "ab".repeat(20);
  const policies = [`hospital:${hospital}`, "role:doctor AND dept:cardiology"];
  const doctorKey = serializeAbeUserKey(
    await abeKeyGen(masterKey, ["role:doctor", `hospital:${hospital}`, "dept:cardiology"]),
  );
  const createdAt = Date.now();
  const recordId = recordIdOf(createdAt, patient!.address);
  const bundle = makeEmrBundle({
    patient: { address: patient!.address },
    doctor: { address: doctor!.address },
    hospital: { address: hospital },
    title: "门诊记录",
    chiefComplaint: "胸闷两天，活动后加重",
    diagnosis: "稳定型心绞痛",
    notes: "心电图 ST 段压低；建议冠脉 CTA。".repeat(20),
    createdAt,
  });
  const readersWith = (n: number): VersionReaders => ({
    keys: [patient!, doctor!, guardian!, escrow!].map((w, i) => ({
      id: i === 3 ? "escrow" : w.address,
      publicKey: publicKeyOf(w.privateKey),
    })),
    policies: policies.slice(0, n),
    abePublicKey: serializeAbePublicKey(publicKey),
  });
  const seal: Record<string, unknown> = {};
  for (const n of [0, 1, 2]) {
    seal[`${n}Policies`] = {
      warm: await timeRuns(SAMPLES, () => sealRecordVersion(bundle, recordId, 1, readersWith(n))),
      // A page load in the portal starts with no attribute hashes cached.
      cold: await timeRuns(SAMPLES, () => sealRecordVersion(bundle, recordId, 1, readersWith(n)), clearAbeHashCache),
    };
  }
  const sealed = await sealRecordVersion(bundle, recordId, 1, readersWith(2));
  const byKey = { address: patient!.address, privateKey: patient!.privateKey };
  const byPolicy = { address: Wallet.createRandom().address, privateKey: doctor!.privateKey, abeUserKey: doctorKey };
  return {
    bundleBytes: JSON.stringify(bundle).length,
    samples: SAMPLES,
    seal,
    openByOwnKey: await timeRuns(SAMPLES, () => openRecordVersion(sealed, recordId, 1, byKey)),
    openByPolicy: await timeRuns(SAMPLES, () => openRecordVersion(sealed, recordId, 1, byPolicy)),
  };
}
