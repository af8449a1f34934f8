// BLS12-381 group helpers on mcl-wasm shared by the FAME scheme and its serialization.
import mcl from "mcl-wasm";

let ready: Promise<void> | undefined;

/** Loads mcl-wasm for BLS12-381 once; every ABE entry point awaits it. */
export function initAbe(): Promise<void> {
  ready ??= mcl.init(mcl.BLS12_381);
  return ready;
}

export function randomFr(): mcl.Fr {
  const x = new mcl.Fr();
  x.setByCSPRNG();
  return x;
}

export function frFromBigint(x: bigint): mcl.Fr {
  const f = new mcl.Fr();
  f.setStr(x.toString(10), 10);
  return f;
}

// Fixed generators derived by hashing, so every party gets the same g and h without shipping them.
let generators: { g: mcl.G1; h: mcl.G2 } | undefined;
export function groupGenerators(): { g: mcl.G1; h: mcl.G2 } {
  generators ??= {
    g: mcl.hashAndMapToG1("yyl-abe/FAME/v1/generator-g1"),
    h: mcl.hashAndMapToG2("yyl-abe/FAME/v1/generator-g2"),
  };
  return generators;
}

// Hashes H(attribute, l, t) and H(column j, l, t) of the FAME construction. The "attr" / "col" tags keep the
// two families apart; attributes cannot contain "/" so no attribute string can imitate another input.
// Results are public and deterministic, so they are cached (bounded) to spare repeated hash-to-curve work.
const hashCache = new Map<string, mcl.G1>();
const HASH_CACHE_LIMIT = 8192;

function cachedHash(input: string): mcl.G1 {
  let point = hashCache.get(input);
  if (!point) {
    if (hashCache.size >= HASH_CACHE_LIMIT) hashCache.clear();
    point = mcl.hashAndMapToG1(input);
    hashCache.set(input, point);
  }
  return point;
}

export function hashAttribute(attribute: string, l: number, t: number): mcl.G1 {
  return cachedHash(`yyl-abe/FAME/v1/attr/${attribute}/${l}/${t}`);
}

export function hashColumn(column: number, l: number, t: number): mcl.G1 {
  return cachedHash(`yyl-abe/FAME/v1/col/${column}/${l}/${t}`);
}

/** Clears the hash cache (the benchmark uses it to measure cold hashing too). */
export function clearAbeHashCache(): void {
  hashCache.clear();
}
