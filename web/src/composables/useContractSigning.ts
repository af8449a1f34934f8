/**
 * Signing an EIP-712 message for any of the deployed contracts (CareProcess, EmrRegistry, …): the
 * unlocked key of the signed-in account (password prompt if locked), the contract's domain from
 * `/chain`, a fresh nonce and a deadline. `useSigning().signForAlliance` does the same for
 * AllianceRegistry.
 */
import { useChainStore } from "@/stores/chain";
import { newNonce, signTyped, type TypedData } from "@/lib/sdk";
import type { Domain } from "@/lib/sdk-care";
import { SIGNATURE_TTL_MS, useSigning } from "./useSigning";

export interface SignedAct {
  nonce: string;
  deadline: number;
  signature: string;
}

export interface ContractStamp extends Domain {
  nonce: string;
  deadline: number;
}

export function useContractSigning(): {
  signFor: (contract: string, build: (stamp: ContractStamp) => TypedData) => Promise<SignedAct>;
  isCancel: (e: unknown) => boolean;
} {
  const signing = useSigning();
  const chain = useChainStore();

  /** Unlocks the key first (it may prompt), then reads the chain for the domain and signs `build`'s message. */
  async function signFor(contract: string, build: (stamp: ContractStamp) => TypedData): Promise<SignedAct> {
    const key = await signing.key();
    const info = await chain.require();
    const verifyingContract = info.contracts[contract];
    if (!verifyingContract) throw new Error(`no contract ${contract} on this chain`);
    const stamp: ContractStamp = {
      chainId: info.chainId,
      verifyingContract,
      nonce: newNonce(),
      deadline: Date.now() + SIGNATURE_TTL_MS,
    };
    const signature = await signTyped(key, build(stamp));
    return { nonce: stamp.nonce, deadline: stamp.deadline, signature };
  }

  return { signFor, isCancel: signing.isCancel };
}
