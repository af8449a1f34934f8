/**
 * What an alliance admin signs to run a research project (EIP-712 `ResearchAction` in the
 * ResearchAllocation domain): creation, members, the Shapley inputs, each allocation, finalization.
 * Each builder takes the stamp `useSigning().signFor` hands it.
 */
import { canonicalJson, researchAction, type TypedData } from "@yyl/sdk";
import { keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";
import { stamped, type Stamp } from "./stamp";

const CONTRACT = "ResearchAllocation";

/** The id the server derives from a title and the signature's nonce: keccak256(abi.encodePacked(title, nonce)). */
export const projectIdOf = (title: string, nonce: string) =>
  solidityPackedKeccak256(["string", "uint256"], [title, BigInt(nonce)]);

export const inputsHashOf = (inputs: Record<string, unknown>) =>
  keccak256(toUtf8Bytes(canonicalJson(inputs)));

export const researchData = {
  create: (d: Stamp, m: { title: string; total: string; description: string }): TypedData =>
    stamped(CONTRACT, d, researchAction.create, {
      projectId: projectIdOf(m.title, d.nonce),
      total: m.total,
      descriptionHash: keccak256(toUtf8Bytes(m.description)),
    }),
  addMember: (d: Stamp, m: { projectId: string; hospital: string }): TypedData =>
    stamped(CONTRACT, d, researchAction.addMember, m),
  commitInputs: (d: Stamp, m: { projectId: string; inputs: Record<string, unknown> }): TypedData =>
    stamped(CONTRACT, d, researchAction.commitInputs, {
      projectId: m.projectId,
      inputsHash: inputsHashOf(m.inputs),
    }),
  allocate: (d: Stamp, m: { projectId: string; hospital: string; amount: string }): TypedData =>
    stamped(CONTRACT, d, researchAction.allocate, m),
  finalize: (d: Stamp, m: { projectId: string }): TypedData =>
    stamped(CONTRACT, d, researchAction.finalize, m),
};
