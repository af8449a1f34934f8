/**
 * Keys of patients, doctors and admins: held by the user (browser), never by a chain node.
 */
import {
  Wallet,
  decryptKeystoreJson,
  encryptKeystoreJson,
  getAddress,
  hexlify,
  verifyMessage,
  type TypedDataField,
} from "ethers";
import type { JsonSafe, TypedData } from "./eip712.ts";

/**
 * scrypt cost for keystores: N = 2^14 (r = 8, p = 1), 16 MiB of memory.
 *
 * ethers' default (N = 2^17) takes several seconds (and 128 MiB) in a browser's pure-JS scrypt,
 * and the portal unlocks the keystore at every sign-in; 2^14 unlocks in about a second on a
 * laptop and is the cost geth uses for its "light" keystores. The keystore is a second line of
 * defence (it lives in the user's own browser storage or a file they keep), and a strong
 * password matters more than N; raise it here if keystores are ever stored server-side.
 */
export const KEYSTORE_SCRYPT_N = 1 << 14;

/** A random secp256k1 wallet (key from crypto.getRandomValues). */
export function createWallet(): Wallet {
  const b = new Uint8Array(32);
  globalThis.crypto.getRandomValues(b);
  return new Wallet(hexlify(b));
}

export function walletFromPrivateKey(hex: string): Wallet {
  return new Wallet(hex.startsWith("0x") ? hex : `0x${hex}`);
}

/** Web3 Secret Storage (v3) JSON, scrypt N = {@link KEYSTORE_SCRYPT_N}. */
export async function encryptKeystore(
  wallet: { address: string; privateKey: string },
  password: string,
  progress?: (fraction: number) => void,
): Promise<string> {
  return encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, password, {
    scrypt: { N: KEYSTORE_SCRYPT_N, r: 8, p: 1 },
    progressCallback: progress,
  });
}

export class KeystorePasswordError extends Error {
  override name = "KeystorePasswordError";
  constructor() {
    super("incorrect keystore password");
  }
}

/** Decrypts a keystore JSON; a wrong password throws {@link KeystorePasswordError}. */
export async function decryptKeystore(
  json: string,
  password: string,
  progress?: (fraction: number) => void,
): Promise<Wallet> {
  try {
    const account = await decryptKeystoreJson(json, password, progress);
    return new Wallet(account.privateKey);
  } catch (e) {
    if (e instanceof Error && /incorrect password/i.test(e.message)) throw new KeystorePasswordError();
    throw e;
  }
}

/** Anything that signs typed data like an ethers Signer. */
export interface TypedDataSigner {
  signTypedData(
    domain: never,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** EIP-712 signature of any registered typed data (typed/registry.ts); the JSON-safe form works too. */
export async function signTypedData(
  wallet: TypedDataSigner,
  td: TypedData | JsonSafe<TypedData>,
): Promise<string> {
  const { EIP712Domain: _d, ...types } = td.types as Record<string, TypedDataField[]>;
  void _d;
  return wallet.signTypedData(td.domain as never, types, td.message as Record<string, unknown>);
}

// ---- sign-in -------------------------------------------------------------------------------------

export const SIGN_IN_TITLE = "医元疗 YiYuanLiao sign-in";

export interface SignInFields {
  address: string;
  nonce: string;
  /** ISO-8601 time (a Date or ms number is converted with toISOString). */
  issuedAt: string | Date | number;
  /** Host the user signs in to, e.g. "localhost:5173". */
  domain: string;
}

/**
 * The exact sign-in text both server and portal use:
 * ```
 * 医元疗 YiYuanLiao sign-in
 * Domain: <domain>
 * Address: <checksummed address>
 * Nonce: <nonce>
 * Issued At: <ISO time>
 * ```
 */
export function signInMessage(f: SignInFields): string {
  const issuedAt = typeof f.issuedAt === "string" ? f.issuedAt : new Date(f.issuedAt).toISOString();
  for (const [k, v] of Object.entries({ domain: f.domain, nonce: f.nonce, issuedAt })) {
    if (/[\r\n]/.test(v)) throw new TypeError(`sign-in ${k} must be one line`);
  }
  return [
    SIGN_IN_TITLE,
    `Domain: ${f.domain}`,
    `Address: ${getAddress(f.address)}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${issuedAt}`,
  ].join("\n");
}

/** Parses a sign-in text back into its fields (throws if it is not exactly the {@link signInMessage} format). */
export function parseSignInMessage(text: string): {
  domain: string;
  address: string;
  nonce: string;
  issuedAt: string;
} {
  const m =
    /^医元疗 YiYuanLiao sign-in\nDomain: ([^\n]*)\nAddress: (0x[0-9a-fA-F]{40})\nNonce: ([^\n]*)\nIssued At: ([^\n]*)$/.exec(
      text,
    );
  if (!m) throw new TypeError("not a 医元疗 sign-in message");
  const [, domain, address, nonce, issuedAt] = m as unknown as [string, string, string, string, string];
  return { domain, address: getAddress(address), nonce, issuedAt };
}

/** EIP-191 personal signature of the sign-in text. */
export async function signSignInMessage(
  wallet: { signMessage(m: string): Promise<string> },
  message: string,
): Promise<string> {
  return wallet.signMessage(message);
}

/** Recovers the signer (checksummed) of a sign-in signature. */
export function verifySignInSignature(message: string, signature: string): string {
  return verifyMessage(message, signature);
}
