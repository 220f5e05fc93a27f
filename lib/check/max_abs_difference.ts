/**
 * The largest absolute difference between two arrays of the same shape.
 *
 * @module
 */

/** A number, or an array of them nested to any depth (a vector, a matrix, …). */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * The largest |a − b| over all entries of two numbers, vectors or matrices of the same shape
 * (0 for empty arrays). NaN anywhere gives NaN, so a broken gradient never passes a check.
 *
 * @param a The first value.
 * @param b The second value, the shape of a.
 * @returns max |a_i − b_i|.
 *
 * @example Analytic against numerical
 * ```ts
 * import { maxAbsDifference } from "./max_abs_difference.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(maxAbsDifference([[1, 2], [3, 4]], [[1, 2.5], [3, 3]]), 1);
 * ```
 */
export function maxAbsDifference(a: NestedNumbers, b: NestedNumbers): number {
  return walk(a, b, "");
}

/** maxAbsDifference of a and b found at index path `at` (for the error message). */
function walk(a: NestedNumbers, b: NestedNumbers, at: string): number {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b);
  if (typeof a === "number" || typeof b === "number" || a.length !== b.length) {
    const describe = (v: NestedNumbers) =>
      typeof v === "number" ? "a number" : `an array of length ${v.length}`;
    throw new TypeError(
      `Expected a and b to have the same shape but found ${describe(a)} and ${describe(b)}` +
        (at ? ` at ${at}` : ""),
    );
  }
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, walk(a[i], b[i], `${at}[${i}]`));
  return max; // Math.max gives NaN once any term is NaN
}
