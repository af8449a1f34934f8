// Merkle field proofs (sdk/src/merkle.ts): building the tree of a 200-field FHIR Bundle, proving one
// field and checking the proof locally, each timed on this machine; and the gas EmrRegistry.verifyField
// uses for a proof of that size, measured on the devnode (Hardhat's EVM, as the gas table).
import {
  ContractHandle,
  fieldHashesOf,
  fieldLeavesOf,
  fieldProofOf,
  fieldsRootOf,
  verifyFieldProof,
  type JsonAbi,
} from "@yyl/sdk";
import { activeFixture, newRecord, now, writeRecord } from "../../contracts/test/fixture.ts";
import { withFreshChain } from "../../contracts/test/devnode.ts";
import { timeRuns, type Stats } from "./timing.ts";

const FIELDS = 200;
const SAMPLES = 200;
/** The field disclosed in every run: a lab value in the middle of the Bundle. */
const PROVEN = "/entry/20/resource/valueQuantity/value";

/** A FHIR Bundle of lab Observations with exactly `n` primitive fields (n ≥ 3). */
export function labBundle(n: number): Record<string, unknown> {
  const perEntry = 5;
  const entries = Math.floor((n - 2) / perEntry);
  const bundle: Record<string, unknown> = {
    resourceType: "Bundle",
    type: "collection",
    entry: Array.from({ length: entries }, (_, i) => ({
      resource: {
        resourceType: "Observation",
        status: "final",
        code: { text: `lab test ${i}` },
        valueQuantity: { value: 4 + (i % 17) / 10, unit: "mmol/L" },
      },
    })),
  };
  for (let i = 2 + entries * perEntry; i < n; i++) bundle[`note${i}`] = `note ${i}`;
  return bundle;
}

/** Timings after a few warm-up calls. */
async function timed(run: () => unknown, samples: number): Promise<Stats> {
  for (let i = 0; i < 5; i++) run();
  return timeRuns(samples, run);
}

/** Gas of verifyField for `proof` on a devnode, sent as a transaction to read the receipt's gasUsed. */
async function verifyFieldGas(bundle: Record<string, unknown>, path: string) {
  return withFreshChain(async (chain) => {
    const fx = await activeFixture(chain);
    const createdAt = now();
    const r = newRecord(fx, { createdAt, fieldsRoot: fieldsRootOf(bundle) });
    await writeRecord(fx, r);
    const p = fieldProofOf(bundle, path);
    const { pathHash, valueHash } = fieldHashesOf(p.path, p.value);
    const args = [r.recordId, 1n, pathHash, valueHash, p.proof];
    if (!(await fx.emr.call<boolean>("verifyField", args))) throw new Error("verifyField refused the proof");
    // The same function declared non-view, so the devnode executes it in a transaction with a receipt.
    const abi = (fx.emr.abi as { name?: string; stateMutability?: string }[]).map((f) =>
      f.name === "verifyField" ? { ...f, stateMutability: "nonpayable" } : f,
    ) as JsonAbi;
    const asTx = new ContractHandle(fx.emr.client, { ...fx.emr, abi }, fx.operator);
    const receipt = await asTx.send("verifyField", args);
    return { proofLength: p.proof.length, txGasUsed: Number(receipt.gasUsed) };
  });
}

export async function benchMerkle() {
  const bundle = labBundle(FIELDS);
  const leaves = fieldLeavesOf(bundle).length;
  if (leaves !== FIELDS) throw new Error(`labBundle made ${leaves} fields, not ${FIELDS}`);
  const root = fieldsRootOf(bundle);
  const proof = fieldProofOf(bundle, PROVEN);
  if (!verifyFieldProof(root, proof.path, proof.value, proof.proof)) throw new Error("proof does not verify");
  return {
    fields: FIELDS,
    proofLength: proof.proof.length,
    proofBytes: proof.proof.length * 32,
    buildTree: await timed(() => fieldsRootOf(bundle), SAMPLES),
    proveOneField: await timed(() => fieldProofOf(bundle, PROVEN), SAMPLES),
    verifyLocally: await timed(
      () => verifyFieldProof(root, proof.path, proof.value, proof.proof),
      SAMPLES * 5,
    ),
    verifyFieldOnChain: {
      ...(await verifyFieldGas(bundle, PROVEN)),
      note: "receipt gasUsed of EmrRegistry.verifyField sent as a transaction on the devnode (includes the 21000 base and calldata); an eth_call costs nothing",
    },
  };
}
