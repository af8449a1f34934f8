/**
 * The portal's one door to `@yyl/sdk`: keys, signatures, EIP-712 builders and the FHIR bundle.
 * Pages and stores import from here, so a change in the sdk's names touches only this file.
 */
import {
  DECISION,
  ROLE,
  KeystorePasswordError,
  applicationTypedData,
  createWallet,
  decisionTypedData,
  decryptKeystore,
  domainOf,
  encryptKeystore,
  makeEmrBundle,
  profileHashOf,
  randomNonce,
  reasonHashOf,
  signSignInMessage,
  signTypedData,
  typedDataFromJson,
  walletFromPrivateKey,
  type Bundle,
  type EmrBundleInput,
  type TypedData,
} from "@yyl/sdk";
import { getAddress, isHexString, type Wallet } from "ethers";
import type { MemberRole, TypedDataJson } from "@/api/types";

export type KeyWallet = Wallet;
export type { Bundle, EmrBundleInput, TypedData };

export { KeystorePasswordError };

export function createKey(): KeyWallet {
  return createWallet();
}

/** A wallet from a private key typed or pasted by the user (with or without 0x). */
export function keyFromPrivateKey(hex: string): KeyWallet {
  const k = hex.trim();
  const prefixed = k.startsWith("0x") || k.startsWith("0X") ? `0x${k.slice(2)}` : `0x${k}`;
  if (!isHexString(prefixed, 32)) throw new Error("invalid private key");
  return walletFromPrivateKey(prefixed);
}

export async function encryptKey(
  wallet: KeyWallet,
  password: string,
  progress?: (f: number) => void,
): Promise<string> {
  return encryptKeystore(wallet, password, progress);
}

/** Throws {@link KeystorePasswordError} on a wrong password, anything else on a broken keystore. */
export async function decryptKey(
  json: string,
  password: string,
  progress?: (f: number) => void,
): Promise<KeyWallet> {
  return decryptKeystore(json, password, progress);
}

export async function signSignIn(wallet: KeyWallet, message: string): Promise<string> {
  return signSignInMessage(wallet, message);
}

/** Signs typed data built here or received from the server (JSON-safe); the types are checked first. */
export async function signTyped(wallet: KeyWallet, data: TypedData | TypedDataJson): Promise<string> {
  const td = typedDataFromJson(
    JSON.parse(JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))),
  );
  return signTypedData(wallet, td);
}

/** Typed data received from the server, parsed and checked against the sdk's definition. */
export function parseTypedData(data: TypedDataJson): TypedData {
  return typedDataFromJson(data);
}

export const ROLE_NUMBER: Record<MemberRole, number> = ROLE;
export const DECISION_NUMBER = DECISION;
export type DecisionKind = keyof typeof DECISION;

export function newNonce(): string {
  return randomNonce();
}

export function profileHash(profile: Record<string, string>): string {
  return profileHashOf(profile);
}

export function reasonHash(reason: string | undefined): string {
  return reasonHashOf(reason);
}

interface DomainInput {
  chainId: number | string;
  verifyingContract: string;
}

export function applicationData(
  input: DomainInput & {
    applicant: string;
    role: MemberRole;
    hospital: string | null;
    profileHash: string;
    nonce: string;
    deadline: number | string;
  },
): TypedData {
  return applicationTypedData(domainOf("AllianceRegistry", input.chainId, input.verifyingContract), {
    applicant: input.applicant,
    role: ROLE[input.role],
    hospital: input.hospital,
    profileHash: input.profileHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
}

export function decisionData(
  input: DomainInput & {
    member: string;
    decision: DecisionKind;
    reasonHash: string;
    nonce: string;
    deadline: number | string;
  },
): TypedData {
  return decisionTypedData(domainOf("AllianceRegistry", input.chainId, input.verifyingContract), {
    member: input.member,
    decision: DECISION[input.decision],
    reasonHash: input.reasonHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
}

export function emrBundle(input: EmrBundleInput): Bundle {
  return makeEmrBundle(input);
}

/** The address a keystore JSON claims, without decrypting it. */
export function keystoreAddress(json: string): string | null {
  try {
    const parsed = JSON.parse(json) as { address?: unknown };
    if (typeof parsed.address !== "string") return null;
    const a = parsed.address.startsWith("0x") ? parsed.address : `0x${parsed.address}`;
    return getAddress(a);
  } catch {
    return null;
  }
}
