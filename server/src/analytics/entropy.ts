/**
 * Data value by information entropy (seed 000 信息熵; DESIGN §6): how widely a record is used across
 * the alliance. H = −Σ pᵢ log₂ pᵢ over the institutions that accessed it, pᵢ = institution i's share of
 * the accesses. 2^H is the "effective number of institutions" (the perplexity): 1 when one institution
 * made every access, k when k institutions used it equally. The suggested value level follows it:
 *
 *   effective institutions < 2      → level 1 (used by about one institution)
 *   2 ≤ effective institutions < 4  → level 2
 *   effective institutions ≥ 4      → level 3 (used widely)
 *
 * i.e. H < 1 bit, 1 ≤ H < 2 bits, H ≥ 2 bits. A rating hospital sees this beside its own judgment; the
 * level it records stays its own.
 */

export interface Access {
  institution: string;
  /** ms since the epoch */
  at: number;
}

export interface EntropyHint {
  /** Shannon entropy of the institutions' shares of the accesses, in bits. */
  bits: number;
  /** 2^bits. */
  effectiveInstitutions: number;
  institutions: number;
  accesses: number;
  suggestedLevel: 1 | 2 | 3;
}

/** Entropy in bits of a distribution given by non-negative counts (zeros ignored). */
export function entropyBits(counts: Iterable<number>): number {
  let total = 0;
  const list: number[] = [];
  for (const c of counts) {
    if (!Number.isFinite(c) || c < 0) throw new RangeError(`a count must be a non-negative number, got ${c}`);
    if (c > 0) list.push(c);
    total += c;
  }
  if (total === 0) return 0;
  let h = 0;
  for (const c of list) {
    const p = c / total;
    h -= p * Math.log2(p);
  }
  return Math.max(0, h); // −0 and rounding below zero for a single institution
}

export function suggestedLevel(bits: number): 1 | 2 | 3 {
  if (!Number.isFinite(bits) || bits < 0) throw new RangeError(`entropy must be a non-negative number of bits, got ${bits}`);
  return bits >= 2 ? 3 : bits >= 1 ? 2 : 1;
}

function countsByInstitution(accesses: readonly Access[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [i, a] of accesses.entries()) {
    if (typeof a?.institution !== "string" || a.institution === "")
      throw new TypeError(`accesses[${i}].institution must be a non-empty string`);
    counts.set(a.institution, (counts.get(a.institution) ?? 0) + 1);
  }
  return counts;
}

/** The entropy hint for one record from its granted accesses (no accesses: level 1, 0 bits). */
export function entropyHint(accesses: readonly Access[]): EntropyHint {
  const counts = countsByInstitution(accesses);
  const bits = entropyBits(counts.values());
  return {
    bits,
    effectiveInstitutions: 2 ** bits,
    institutions: counts.size,
    accesses: accesses.length,
    suggestedLevel: suggestedLevel(bits),
  };
}

/**
 * The same over time: the accesses cut into consecutive windows of `windowMs` from the first one, the
 * entropy of each window, so a hospital sees whether use is spreading (rising) or narrowing.
 */
export function entropyOverTime(
  accesses: readonly Access[],
  windowMs: number,
): { from: number; to: number; bits: number; accesses: number }[] {
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  if (accesses.length === 0) return [];
  for (const [i, a] of accesses.entries())
    if (!Number.isFinite(a?.at)) throw new TypeError(`accesses[${i}].at must be a time in ms`);
  const sorted = [...accesses].sort((a, b) => a.at - b.at);
  const start = sorted[0]!.at;
  const windows = new Map<number, Access[]>();
  for (const a of sorted) {
    const w = Math.floor((a.at - start) / windowMs);
    windows.set(w, [...(windows.get(w) ?? []), a]);
  }
  const last = Math.floor((sorted[sorted.length - 1]!.at - start) / windowMs);
  return Array.from({ length: last + 1 }, (_, w) => {
    const inWindow = windows.get(w) ?? [];
    return {
      from: start + w * windowMs,
      to: start + (w + 1) * windowMs,
      bits: entropyBits(countsByInstitution(inWindow).values()),
      accesses: inWindow.length,
    };
  });
}
