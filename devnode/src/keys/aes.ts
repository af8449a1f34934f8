// WeBASE-Front's AesUtils (WF/util/AesUtils.java): AES/CBC/PKCS5Padding, key = the UTF-8 bytes of
// constant.aesKey, fixed IV "abcdefgh12345678", Base64. WeBASE keeps private keys in this form in its
// database and hands them out in this form from /privateKey and /privateKey/import.
import { createCipheriv, createDecipheriv } from "node:crypto";

/** application.yml `constant.aesKey` */
export const DEFAULT_AES_KEY = "EfdsW23D23d3df43";
const IV = Buffer.from("abcdefgh12345678", "utf8");

export class Aes {
  private readonly key: Buffer;
  private readonly algorithm: string;

  constructor(aesKey: string) {
    this.key = Buffer.from(aesKey, "utf8");
    // Java's AES takes 16/24/32-byte keys; WeBASE answers a null privateKey for any other length.
    // A devnode refuses such a key up front instead.
    if (![16, 24, 32].includes(this.key.length)) {
      throw new Error(`the AES key must be 16, 24 or 32 bytes of UTF-8, got ${this.key.length}`);
    }
    this.algorithm = `aes-${this.key.length * 8}-cbc`;
  }

  encrypt(plain: string): string {
    const c = createCipheriv(this.algorithm, this.key, IV);
    return Buffer.concat([c.update(plain, "utf8"), c.final()]).toString("base64");
  }

  /** Throws when `cipherText` was not made with this key (bad padding) or is not Base64 of whole blocks. */
  decrypt(cipherText: string): string {
    const d = createDecipheriv(this.algorithm, this.key, IV);
    return Buffer.concat([d.update(Buffer.from(cipherText, "base64")), d.final()]).toString("utf8");
  }
}
