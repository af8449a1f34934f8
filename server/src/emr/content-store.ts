import { canonicalJson, contentHashOf, envelopeJson, generateContentKey, openContent, sealContent, unwrapKey, wrapKey } from "@yyl/sdk";
import type { EmrBlob } from "../generated/prisma/client.ts";

// Record content stays off chain, encrypted with AES-256-GCM under a fresh key per version; the
// content key is wrapped under the server's key-encryption key. Only keccak256 of the ciphertext
// envelope goes on chain, so anyone holding the blob can check it against the chain without the key.

export interface SealedBundle {
  envelope: string;
  contentHash: string;
  wrappedKey: string;
}

export class EmrContentStore {
  private readonly kek: Uint8Array;

  constructor(kekHex: string) {
    this.kek = Uint8Array.from(Buffer.from(kekHex, "hex"));
  }

  /** The record id is bound into the ciphertext as associated data: a blob moved to another record fails to open. */
  async seal(recordId: string, bundle: unknown): Promise<SealedBundle> {
    const key = generateContentKey();
    const envelope = envelopeJson(await sealContent(canonicalJson(bundle), key, recordId));
    const wrapped = await wrapKey(key, this.kek);
    return { envelope, contentHash: contentHashOf(envelope), wrappedKey: JSON.stringify(wrapped) };
  }

  async open(blob: Pick<EmrBlob, "envelope" | "wrappedKey" | "recordId">): Promise<unknown> {
    const key = await unwrapKey(blob.wrappedKey, this.kek);
    const plain = await openContent(blob.envelope, key, blob.recordId);
    return JSON.parse(new TextDecoder().decode(plain));
  }
}
