import {
  envelopeJson,
  generatePaillierKeyPair,
  openContent,
  paillierKeyId,
  paillierPrivateKeyFromJson,
  paillierPrivateKeyToJson,
  paillierPublicKeyFromJson,
  paillierPublicKeyToJson,
  sealContent,
  type PaillierPrivateKey,
  type PaillierPublicKeyJson,
} from "@yyl/sdk";

// Each statistics round has its own 2048-bit Paillier key pair, made by the server when the round
// opens. The private key (p, q) is kept sealed under KMC_KEK, as the key authority's keys are
// (keys/authority.ts), and opened only to decrypt a closed round's totals. A fresh key per round means
// that a key leaked later exposes one round, not every round.

/** Binds the sealed private key to its public key, so that one round's sealed key cannot be swapped into another. */
const aadFor = (publicKey: PaillierPublicKeyJson) =>
  `yyl/statistics/paillier-private-key:${paillierKeyId(paillierPublicKeyFromJson(publicKey))}`;

const kekBytes = (kekHex: string) => Uint8Array.from(Buffer.from(kekHex, "hex"));

export interface RoundKeys {
  /** The public key as JSON text, served to hospitals. */
  publicKey: string;
  /** The private key sealed under KMC_KEK (an AES-GCM envelope as JSON text). */
  sealedPrivateKey: string;
}

export async function createRoundKeys(kekHex: string): Promise<RoundKeys> {
  const { publicKey, privateKey } = await generatePaillierKeyPair();
  const publicJson = paillierPublicKeyToJson(publicKey);
  const sealed = await sealContent(JSON.stringify(paillierPrivateKeyToJson(privateKey)), kekBytes(kekHex), aadFor(publicJson));
  return { publicKey: JSON.stringify(publicJson), sealedPrivateKey: envelopeJson(sealed) };
}

export async function openRoundPrivateKey(kekHex: string, keys: RoundKeys): Promise<PaillierPrivateKey> {
  const publicJson = JSON.parse(keys.publicKey) as PaillierPublicKeyJson;
  const plain = await openContent(keys.sealedPrivateKey, kekBytes(kekHex), aadFor(publicJson)).catch(() => {
    throw new Error("KMC_KEK does not open this round's Paillier private key: it is not the key it was sealed under");
  });
  const privateKey = paillierPrivateKeyFromJson(new TextDecoder().decode(plain));
  if (privateKey.publicKey.n !== paillierPublicKeyFromJson(publicJson).n)
    throw new Error("the sealed Paillier private key does not belong to the round's public key");
  return privateKey;
}
