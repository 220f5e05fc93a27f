/**
 * The mean and sample standard deviation, e.g. of the final accuracies of a configuration's seeds.
 *
 * @module
 */

/**
 * Mean and sample standard deviation (divided by n − 1), the deviation null for a single number.
 *
 * @param values At least one number.
 * @returns The mean and the standard deviation.
 *
 * @example
 * ```ts
 * import { meanStd } from "./mean_std.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
 * assertEquals(meanStd([5]), { mean: 5, std: null });
 * ```
 */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number | null } {
  const n = values.length;
  if (n === 0) throw new RangeError("Expected at least one value for a mean but found none");
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) return { mean, std: null };
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / (n - 1)) };
}
