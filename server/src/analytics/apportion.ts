/**
 * Whole-unit amounts in proportion to shares, summing exactly to the total: the largest remainder
 * method (Hamilton). Each share first gets ⌊total·wᵢ/Σw⌋; the units left over go one each to the
 * largest remainders, ties to the earlier share, so the result is reproducible.
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n) throw new RangeError(`total must not be negative, got ${total}`);
  weights.forEach((w, i) => {
    if (w < 0n) throw new RangeError(`share ${i} is negative (${w}); a negative share cannot be paid out`);
  });
  const sum = weights.reduce((s, w) => s + w, 0n);
  if (sum === 0n) throw new RangeError("the shares sum to 0: there is nothing to divide in proportion to");
  const amounts = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - amounts.reduce((s, a) => s + a, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    amounts[i]! += 1n;
    left -= 1n;
  }
  return amounts;
}
