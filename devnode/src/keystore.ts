// Keys "held by WeBASE-Front": the devnode signs transactions for these users, exactly like a real
// WeBASE-Front signs with the keys in its database. Persisted in <dataDir>/keys.json, rewritten
// atomically (temp file + fsync + rename) on every change so a crash never loses or corrupts a key.
import { promises as fsp } from "node:fs";
import path from "node:path";
import { SigningKey, Wallet, computeAddress } from "ethers";
import { Code, FrontError } from "./errors.ts";
import { writeFileAtomic } from "./fsutil.ts";

export const KEYS_FILE = "keys.json";

export interface StoredKey {
  address: string; // lower-case 0x-hex
  publicKey: string; // 0x + 128 hex (uncompressed point without the 04 prefix)
  privateKey: string; // 64 hex, no 0x (as WeBASE-Front shows it)
  userName: string;
  type: number; // 0 = local
  groupId: string;
  createdAt: number;
}

/** WeBASE-Front's KeyStoreInfo as returned by the key routes. */
export interface KeyStoreInfo {
  address: string;
  publicKey: string;
  privateKey: string;
  userName: string;
  type: number;
  signUserId: null;
  appId: null;
  groupId: string;
}

export class KeyStore {
  private readonly byAddress = new Map<string, StoredKey>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(dataDir: string): Promise<KeyStore> {
    const ks = new KeyStore(path.join(dataDir, KEYS_FILE));
    let text: string | undefined;
    try {
      text = await fsp.readFile(ks.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new Error(`${ks.file} is not valid JSON (${(e as Error).message})`);
      }
      const keys = (parsed as { keys?: unknown }).keys;
      if (!Array.isArray(keys)) throw new Error(`${ks.file} has no "keys" array`);
      for (const k of keys as StoredKey[]) {
        if (typeof k.privateKey !== "string" || typeof k.userName !== "string") {
          throw new Error(`${ks.file} holds a malformed key entry`);
        }
        const address = computeAddress("0x" + k.privateKey).toLowerCase();
        ks.byAddress.set(address, { ...k, address });
      }
    }
    return ks;
  }

  list(): KeyStoreInfo[] {
    return [...this.byAddress.values()].map(toInfo);
  }

  get(address: string): StoredKey | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  wallet(address: string): Wallet | undefined {
    const k = this.get(address);
    return k ? new Wallet("0x" + k.privateKey) : undefined;
  }

  async create(userName: string | undefined, groupId: string, type = 0): Promise<KeyStoreInfo> {
    this.checkName(userName);
    const w = Wallet.createRandom();
    return this.add(w.privateKey.slice(2), userName!, groupId, type);
  }

  async import(
    privateKey: string | undefined,
    userName: string | undefined,
    groupId: string,
  ): Promise<KeyStoreInfo> {
    this.checkName(userName);
    const hex = normalizePrivateKey(privateKey);
    const address = computeAddress("0x" + hex).toLowerCase();
    if (this.byAddress.has(address))
      throw new FrontError(Code.PRIVATE_KEY_EXISTS, "private key already exists");
    return this.add(hex, userName!, groupId);
  }

  private checkName(userName: string | undefined): void {
    if (userName === undefined || userName.trim() === "") {
      throw new FrontError(Code.USER_NAME_NULL, "user name is null");
    }
    for (const k of this.byAddress.values()) {
      if (k.userName === userName) throw new FrontError(Code.USER_NAME_EXISTS, "user name already exists");
    }
  }

  private async add(
    privateKeyHex: string,
    userName: string,
    groupId: string,
    type = 0,
  ): Promise<KeyStoreInfo> {
    const sk = new SigningKey("0x" + privateKeyHex);
    const k: StoredKey = {
      address: computeAddress(sk.publicKey).toLowerCase(),
      publicKey: "0x" + sk.publicKey.slice(4), // drop "0x04"
      privateKey: privateKeyHex,
      userName,
      type,
      groupId,
      createdAt: Date.now(),
    };
    this.byAddress.set(k.address, k);
    await this.persist();
    return toInfo(k);
  }

  /** Writes are chained so two concurrent creations cannot overwrite each other's file. */
  private persist(): Promise<void> {
    const snapshot = JSON.stringify({ version: 1, keys: [...this.byAddress.values()] }, null, 2) + "\n";
    this.writing = this.writing.catch(() => {}).then(() => writeFileAtomic(this.file, snapshot));
    return this.writing;
  }
}

function toInfo(k: StoredKey): KeyStoreInfo {
  return {
    address: k.address,
    publicKey: k.publicKey,
    privateKey: k.privateKey,
    userName: k.userName,
    type: k.type,
    signUserId: null,
    appId: null,
    groupId: k.groupId,
  };
}

/** Accepts 64 hex digits, optionally 0x-prefixed, optionally with Java BigInteger's leading 00 byte. */
function normalizePrivateKey(input: string | undefined): string {
  const bad = () => new FrontError(Code.PRIVATE_KEY_DECODE_FAIL, "privateKey decode fail");
  if (input === undefined) throw bad();
  let hex = input.trim().toLowerCase();
  if (hex.startsWith("0x")) hex = hex.slice(2);
  if (hex.length === 66 && hex.startsWith("00")) hex = hex.slice(2);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw bad();
  try {
    void new SigningKey("0x" + hex).publicKey; // deriving the public key rejects 0 and values ≥ the curve order
  } catch {
    throw bad();
  }
  return hex;
}
