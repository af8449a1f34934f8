/**
 * What every EIP-712 message of the deployed contracts shares besides its own fields: the contract's
 * domain (chain id, address), a fresh nonce and a deadline. `useSigning().signFor` hands a
 * `Stamp` to the builders of `./sdk-care.ts` and `./sdk-privacy.ts`, which pass it on through `stamped`.
 */
import { domainOf, type Eip712Domain, type TypedData } from "@yyl/sdk";

/** Where a message is verified: the chain id and the contract's address. */
export interface Domain {
  chainId: number | string;
  verifyingContract: string;
}

/** A domain with the nonce and deadline of one message. */
export interface Stamp extends Domain {
  nonce: string;
  deadline: number;
}

/**
 * Calls an sdk builder with `contract`'s domain and the message `fields` plus the stamp's nonce and
 * deadline, so that each builder only says what is its own.
 */
export function stamped<M extends { nonce: unknown; deadline: unknown }>(
  contract: string,
  stamp: Stamp,
  build: (domain: Eip712Domain, message: M) => TypedData,
  fields: Omit<M, "nonce" | "deadline">,
): TypedData {
  const domain = domainOf(contract, stamp.chainId, stamp.verifyingContract);
  return build(domain, { ...fields, nonce: stamp.nonce, deadline: stamp.deadline } as M);
}
