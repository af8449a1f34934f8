/**
 * The sdk's key recovery (Shamir shares of the member's key, each sealed with its holder's
 * password), kept beside `./sdk.ts` (the portal's door to `@yyl/sdk`). See docs/crypto.md,
 * "Key recovery", for the design and its trade-offs.
 */
import {
  SHARE_SCRYPT_N,
  ShareError,
  decryptShare,
  encryptShare,
  parseShare,
  recoverKey,
  splitKey,
} from "@yyl/sdk";

export { SHARE_SCRYPT_N, ShareError, decryptShare, encryptShare, parseShare, recoverKey, splitKey };

/** Most and fewest shares the sdk makes (2 ≤ t ≤ n ≤ 10). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 10;

/** What a sealed share file says about itself before it is opened (its label is not secret). */
export interface SealedShareLabel {
  address: string;
  index: number;
}

/**
 * Reads the unencrypted label of a sealed share (address and share number), so that a failure to
 * open it can name the share. Null when the text is not a sealed share at all.
 */
export function sealedShareLabel(text: string): SealedShareLabel | null {
  try {
    const o = JSON.parse(text) as { type?: unknown; address?: unknown; index?: unknown };
    if (o?.type !== "yyl-sealed-share" || typeof o.address !== "string" || typeof o.index !== "number")
      return null;
    return { address: o.address, index: o.index };
  } catch {
    return null;
  }
}

/** Download name of a sealed share: `yyl-share-<address-short>-<i>-of-<n>.json`. */
export function shareFileName(address: string, index: number, shares: number): string {
  const a = address.toLowerCase().replace(/^0x/, "");
  return `yyl-share-${a.slice(0, 6)}${a.slice(-4)}-${index}-of-${shares}.json`;
}
