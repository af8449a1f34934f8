// Keys "held by WeBASE-Front" (WF/keystore/KeyStoreService.java): the devnode signs for these users as
// WeBASE-Front signs with the keys in its H2 table. <dataDir>/keys.json holds them the way that table
// does — private keys AES-encrypted (AesUtils) — and is rewritten atomically on every change.
// A keys.json from before (version 1, raw hex keys) is encrypted and rewritten on open.
import { promises as fsp } from "node:fs";
import path from "node:path";
import { SigningKey, Wallet, computeAddress } from "ethers";
import { Code, FrontError, JavaError } from "../errors.ts";
import { writeFileAtomic } from "../fsutil.ts";
import { JavaException, hexToBigInt } from "../java/bigint.ts";
import type { Aes } from "./aes.ts";

export const KEYS_FILE = "keys.json";
const FILE_VERSION = 2;
/** secp256k1 group order */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** WF/keystore/entity/KeyStoreInfo.java, field for field (a row of the keystore table). */
export interface KeyStoreInfo {
  address: string; // "0x" + 40 lower-case hex
  publicKey: string; // 128 lower-case hex, no 0x, no 04
  privateKey: string; // AES Base64 as stored; decrypted only by /privateKey/localKeyStores
  userName: string;
  type: number; // 0 = local
  signUserId: string | null;
  appId: string | null;
}

function infoFor(privateKeyHex: string, userName: string, aes: Aes): KeyStoreInfo {
  const sk = new SigningKey("0x" + privateKeyHex);
  return {
    address: computeAddress(sk.publicKey).toLowerCase(),
    publicKey: sk.publicKey.slice(4), // drop "0x04"
    privateKey: aes.encrypt(privateKeyHex),
    userName,
    type: 0,
    signUserId: null,
    appId: null,
  };
}

export class KeyStore {
  /** by address exactly as stored (the table's @Id; H2 compares it case-sensitively) */
  private readonly byAddress = new Map<string, KeyStoreInfo>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly aes: Aes,
  ) {}

  static async open(dataDir: string, aes: Aes): Promise<KeyStore> {
    const ks = new KeyStore(path.join(dataDir, KEYS_FILE), aes);
    let text: string | undefined;
    try {
      text = await fsp.readFile(ks.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (text === undefined) return ks;
    let parsed: { version?: unknown; keys?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (e) {
      throw new Error(`${ks.file} is not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(parsed.keys)) throw new Error(`${ks.file} has no "keys" array`);
    let migrated = false;
    for (const k of parsed.keys as Record<string, unknown>[]) {
      if (typeof k.privateKey !== "string" || typeof k.userName !== "string") {
        throw new Error(`${ks.file} holds a malformed key entry`);
      }
      let hex: string;
      if (/^[0-9a-f]{64}$/.test(k.privateKey)) {
        hex = k.privateKey; // version 1 kept raw hex: encrypt it now
        migrated = true;
      } else {
        try {
          hex = aes.decrypt(k.privateKey);
        } catch {
          throw new Error(
            `${ks.file}: the key of ${String(k.address)} does not decrypt with this AES key; ` +
              `start the devnode with the AES key keys.json was written with (DEVNODE_AES_KEY)`,
          );
        }
      }
      const info = infoFor(hex, k.userName, aes);
      if (typeof k.address === "string" && k.address.toLowerCase() !== info.address) {
        throw new Error(`${ks.file}: the entry for ${k.address} holds the key of another address`);
      }
      ks.byAddress.set(info.address, info);
    }
    if (migrated || parsed.version !== FILE_VERSION) await ks.persist();
    return ks;
  }

  /** KeyStoreService.getLocalKeyStoreList: type 0, by userName ascending, private keys decrypted. */
  localKeyStores(): KeyStoreInfo[] {
    return [...this.byAddress.values()]
      .filter((k) => k.type === 0)
      .sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0))
      .map((k) => ({ ...k, privateKey: this.aes.decrypt(k.privateKey) }));
  }

  /** KeyStoreService.getPrivateKey: exact lookup of `user` (no case folding); 201015 when absent. */
  wallet(user: string): Wallet {
    const k = this.byAddress.get(user);
    if (!k) throw new FrontError(Code.PRIVATE_KEY_NULL, "user's privateKey is null");
    return new Wallet("0x" + this.aes.decrypt(k.privateKey));
  }

  /** KeyStoreService.createKeyStoreLocally */
  async create(userName: string): Promise<KeyStoreInfo> {
    this.checkNameFree(userName);
    const hex = Wallet.createRandom().privateKey.slice(2);
    return this.save(infoFor(hex, userName, this.aes));
  }

  /**
   * KeyStoreService.importFromPrivateKey: like WeBASE, no check that the key is new — saving an
   * address that exists updates its row (JPA save on the @Id), i.e. renames it.
   */
  async import(privateKey: string, userName: string): Promise<KeyStoreInfo> {
    this.checkNameFree(userName);
    let d: bigint;
    try {
      d = hexToBigInt(privateKey); // KeyTool.convertHexedStringToKeyPair: new BigInteger(hex, 16)
    } catch (e) {
      throw new JavaError((e as JavaException).message);
    }
    // BouncyCastle's ECDomainParameters.validatePrivateScalar
    if (d < 1n || d >= N) throw new JavaError("Scalar is not in the interval [1, n - 1]");
    return this.save(infoFor(d.toString(16).padStart(64, "0"), userName, this.aes));
  }

  /** KeyStoreService.checkUserNameAndTypeNotExist: 201038 when a local key has that name. */
  checkNameFree(userName: string): void {
    for (const k of this.byAddress.values()) {
      if (k.type === 0 && k.userName === userName) {
        throw new FrontError(Code.USER_NAME_EXISTS, "user name already exists");
      }
    }
  }

  private async save(info: KeyStoreInfo): Promise<KeyStoreInfo> {
    this.byAddress.set(info.address, info);
    await this.persist();
    return { ...info };
  }

  /** Writes are chained so two concurrent changes cannot overwrite each other's file. */
  private persist(): Promise<void> {
    const snapshot =
      JSON.stringify({ version: FILE_VERSION, keys: [...this.byAddress.values()] }, null, 2) + "\n";
    this.writing = this.writing.catch(() => {}).then(() => writeFileAtomic(this.file, snapshot));
    return this.writing;
  }
}
