/**
 * Modular arithmetic on native bigints for Paillier (runs in Node and browsers, no dependencies).
 */

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Non-negative residue of a mod m. */
export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/**
 * b^e mod m with a fixed 5-bit window: about bits(e) squarings plus bits(e)/5 multiplications,
 * roughly a third fewer multiplications than square-and-multiply, which is what dominates
 * Paillier encryption and decryption.
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 0n) throw new RangeError("modulus must be positive");
  if (exponent < 0n) throw new RangeError("exponent must be non-negative");
  if (modulus === 1n) return 0n;
  const b = mod(base, modulus);
  const WINDOW = 5;
  const table: bigint[] = [1n];
  for (let i = 1; i < 1 << WINDOW; i++) table.push(((table[i - 1] as bigint) * b) % modulus);
  const bits = exponent.toString(2);
  const padded = "0".repeat((WINDOW - (bits.length % WINDOW)) % WINDOW) + bits;
  let r = 1n;
  for (let i = 0; i < padded.length; i += WINDOW) {
    if (i > 0) for (let k = 0; k < WINDOW; k++) r = (r * r) % modulus;
    const digit = parseInt(padded.slice(i, i + WINDOW), 2);
    if (digit !== 0) r = (r * (table[digit] as bigint)) % modulus;
  }
  return r;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** a⁻¹ mod m; throws when a and m are not coprime. */
export function modInv(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError("value has no inverse: it shares a factor with the modulus");
  return mod(oldS, m);
}

/** Uniform random bigint in [0, bound) from crypto.getRandomValues (rejection sampling). */
export function randomBelow(bound: bigint): bigint {
  if (bound <= 0n) throw new RangeError("bound must be positive");
  const bits = bitLength(bound);
  const bytes = new Uint8Array(Math.ceil(bits / 8));
  const topMask = 0xff >> (bytes.length * 8 - bits);
  for (;;) {
    globalThis.crypto.getRandomValues(bytes);
    bytes[0] = (bytes[0] as number) & topMask;
    let x = 0n;
    for (const byte of bytes) x = (x << 8n) | BigInt(byte);
    if (x < bound) return x;
  }
}

/** Uniform random unit of Z_n (1 ≤ r < n, gcd(r, n) = 1). */
export function randomUnit(n: bigint): bigint {
  for (;;) {
    const r = randomBelow(n);
    if (r !== 0n && gcd(r, n) === 1n) return r;
  }
}

/** Integer square root ⌊√x⌋ (Newton's method). */
export function isqrt(x: bigint): bigint {
  if (x < 0n) throw new RangeError("square root of a negative number");
  if (x < 2n) return x;
  let y = 1n << BigInt(Math.ceil(bitLength(x) / 2));
  for (;;) {
    const next = (y + x / y) >> 1n;
    if (next >= y) return y;
    y = next;
  }
}

/** 0x-prefixed lowercase hex of a non-negative bigint. */
export function bigintToHex(x: bigint): string {
  return `0x${x.toString(16)}`;
}

/** Parses 0x-prefixed hex into a bigint; throws naming `what` otherwise. */
export function bigintFromHex(text: unknown, what: string): bigint {
  if (typeof text !== "string" || !/^0x[0-9a-fA-F]+$/.test(text))
    throw new TypeError(`${what} must be a 0x-prefixed hex string`);
  return BigInt(text);
}
