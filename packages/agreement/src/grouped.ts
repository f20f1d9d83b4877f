// Sparse per-unit contributions regrouped by what they add to, so that a bootstrap resample
// gathers each total into a local variable (sequential reads, no scattered writes).

/**
 * Entries grouped by key: those of key k are start[k] to start[k + 1]. `second` is an optional
 * second amount per entry, for two sums over the same entries in one pass.
 */
export type Grouped = { start: Int32Array; unit: Int32Array; amount: Float64Array; second: Float64Array };

export function groupBy(keys: number, keyOf: number[], unitOf: number[], amountOf: number[], secondOf?: number[]): Grouped {
  const start = new Int32Array(keys + 1);
  for (const key of keyOf) start[key + 1]! += 1;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, keys);
  const unit = new Int32Array(keyOf.length);
  const amount = new Float64Array(keyOf.length);
  const second = new Float64Array(secondOf === undefined ? 0 : keyOf.length);
  keyOf.forEach((key, i) => {
    const at = fill[key]!++;
    unit[at] = unitOf[i]!;
    amount[at] = amountOf[i]!;
    if (secondOf !== undefined) second[at] = secondOf[i]!;
  });
  return { start, unit, amount, second };
}

export function gather(grouped: Grouped, key: number, weights: Float64Array): number {
  let sum = 0;
  for (let e = grouped.start[key]!; e < grouped.start[key + 1]!; e++) sum += weights[grouped.unit[e]!]! * grouped.amount[e]!;
  return sum;
}
