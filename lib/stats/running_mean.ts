/**
 * The centred running mean of a series, the one smoothing every learning curve uses.
 *
 * @module
 */

import { checkInteger } from "../options/option_rules.ts";

/**
 * Each value replaced by the mean of the `window` values centred on it (⌊(window − 1)/2⌋ before,
 * the rest after, fewer at the ends), which unlike a trailing mean does not lag a falling loss.
 *
 * @param values The series: (n).
 * @param window How many values each mean covers, an integer ≥ 1.
 * @returns The smoothed series: (n).
 *
 * @example Three values, a window of 2 (the value and the next one)
 * ```ts
 * import { runningMean } from "./running_mean.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(Array.from(runningMean([4, 2, 0], 2)), [3, 1, 0]);
 * assertEquals(Array.from(runningMean([4, 2, 0, 6], 3)), [3, 2, 8 / 3, 3]);
 * ```
 */
export function runningMean(values: ArrayLike<number>, window: number): Float64Array {
  checkInteger("window", window, 1);
  const n = values.length;
  const prefix = new Float64Array(n + 1); // prefix[i] = values[0] + … + values[i − 1]
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + values[i];
  const before = Math.floor((window - 1) / 2);
  const smooth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = Math.max(0, i - before);
    const end = Math.min(n, i - before + window); // exclusive
    smooth[i] = (prefix[end] - prefix[start]) / (end - start);
  }
  return smooth;
}
