// The iteration order of a java.util.HashMap<String, …>: java-sdk lists "supported functions" from
// HashMap.keySet() in its 201151 messages (ContractABIDefinition.functions is a HashMap), so the
// order there is Java's bucket order, not the ABI's.

/** String.hashCode(): s[0]*31^(n-1) + … over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Keys (in insertion order) as a HashMap with default capacity 16 and load factor 0.75 iterates them:
 * by bucket index (hash ^ hash>>>16, masked by the final capacity), then insertion order within a
 * bucket (a resize splits buckets keeping relative order).
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.k);
}

/** AbstractCollection.toString(): "[a, b, c]". */
export function javaListString(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}
