import {
  abeSetup,
  deserializeAbeMasterKey,
  deserializeAbePublicKey,
  eciesUnwrap,
  eciesWrap,
  initAbe,
  openContent,
  publicKeyOf,
  sealContent,
  envelopeJson,
  serializeAbeMasterKey,
  serializeAbePublicKey,
  type AbeMasterKey,
  type AbePublicKeyJson,
  type EciesWrapped,
} from "@yyl/sdk";
import { Wallet, getBytes } from "ethers";
import type { PrismaClient } from "../generated/prisma/client.ts";

// The alliance's key authority (the KMC of a medical PKI): the CP-ABE master key that attribute keys
// are issued from, and the break-glass escrow key every record version is also wrapped to. Both are
// created on first start and kept sealed under KMC_KEK; the public halves are served to writers.
// Whoever holds KMC_KEK and this table can read every record, as any single-authority CP-ABE
// deployment's authority can (docs/crypto.md, "Key authority").

const MASTER_AAD = "yyl/kmc/abe-master-key";
const ESCROW_AAD = "yyl/kmc/escrow-key";

export class KeyAuthority {
  private constructor(
    readonly abePublicKey: AbePublicKeyJson,
    private readonly masterKey: AbeMasterKey,
    readonly escrowPublicKey: string,
    private readonly escrowPrivateKey: Uint8Array,
  ) {}

  /** Loads the authority's keys, creating them once (a second process starting at the same time reloads the first's). */
  static async open(prisma: PrismaClient, kekHex: string): Promise<KeyAuthority> {
    await initAbe();
    const kek = Uint8Array.from(Buffer.from(kekHex, "hex"));
    let row = await prisma.keyAuthority.findUnique({ where: { id: 1 } });
    if (!row) {
      const { publicKey, masterKey } = await abeSetup();
      const escrow = getBytes(Wallet.createRandom().privateKey);
      const seal = async (plain: string | Uint8Array, aad: string) => envelopeJson(await sealContent(plain, kek, aad));
      const data = {
        id: 1,
        abePublicKey: JSON.stringify(serializeAbePublicKey(publicKey)),
        abeMasterKey: await seal(JSON.stringify(serializeAbeMasterKey(masterKey)), MASTER_AAD),
        escrowPublicKey: publicKeyOf(escrow),
        escrowPrivateKey: await seal(escrow, ESCROW_AAD),
        createdAt: BigInt(Date.now()),
      };
      await prisma.keyAuthority.createMany({ data: [data], skipDuplicates: true });
      row = await prisma.keyAuthority.findUniqueOrThrow({ where: { id: 1 } });
    }
    const open = (sealed: string, aad: string) => openContent(sealed, kek, aad).catch(() => {
      throw new Error("KMC_KEK does not open the key authority's keys: it is not the key they were sealed under");
    });
    const master = JSON.parse(new TextDecoder().decode(await open(row.abeMasterKey, MASTER_AAD)));
    const publicJson = JSON.parse(row.abePublicKey) as AbePublicKeyJson;
    deserializeAbePublicKey(publicJson); // checks every element
    return new KeyAuthority(
      publicJson,
      deserializeAbeMasterKey(master),
      row.escrowPublicKey,
      await open(row.escrowPrivateKey, ESCROW_AAD),
    );
  }

  /** The master key, for issuing attribute keys only. */
  get issuingKey(): AbeMasterKey {
    return this.masterKey;
  }

  /** Break-glass: the escrow wrap of a version re-wrapped to the doctor's public key (the server sees
   *  the content key for this moment, never the content). */
  async rewrapEscrow(escrowWrap: EciesWrapped, aad: string, doctorPublicKey: string): Promise<EciesWrapped> {
    const key = await eciesUnwrap(this.escrowPrivateKey, escrowWrap, aad);
    return eciesWrap(doctorPublicKey, key, aad);
  }
}
