/**
 * The numerical gradient of a scalar function by central differences.
 *
 * @module
 */

import { checkPositive } from "../options/option_rules.ts";

/** Options of {@linkcode centralDifference} and {@linkcode centralDifferenceJacobian}. */
export interface CentralDifferenceOptions {
  /** The step: each entry is moved to x + h and x − h. @default {1e-5} */
  h?: number;
}

/**
 * The gradient of f at x by central differences, (f(x + h e_i) − f(x − h e_i)) / 2h for each entry
 * i, error O(h²) plus rounding O(ε |f| / h). Each entry is moved in place and put back exactly
 * before the next, so f may read x through another reference (a network's weights, say).
 *
 * @typeParam X The shape of x: a vector `number[]` or a matrix `number[][]`.
 * @param f The function, of x (or of what reads x).
 * @param x The point: (n) or (rows, cols). Moved and restored in place.
 * @param options The step h.
 * @returns The numerical gradient ∂f/∂x, the shape of x.
 *
 * @example The gradient of x₀² + 3x₁
 * ```ts
 * import { centralDifference } from "./central_difference.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const [g0, g1] = centralDifference(([a, b]) => a * a + 3 * b, [2, 5]);
 * assertAlmostEquals(g0, 4, 1e-8);
 * assertAlmostEquals(g1, 3, 1e-8);
 * ```
 */
export function centralDifference<X extends number[] | number[][]>(
  f: (x: X) => number,
  x: X,
  options: CentralDifferenceOptions = {},
): X {
  const h = options.h ?? 1e-5;
  checkPositive("h", h);
  const slope = (row: number[], i: number): number => {
    const saved = row[i];
    row[i] = saved + h;
    const plus = f(x);
    row[i] = saved - h;
    const minus = f(x);
    row[i] = saved;
    return (plus - minus) / (2 * h);
  };
  if (x.every((entry) => typeof entry === "number")) {
    return (x as number[]).map((_, i) => slope(x as number[], i)) as X;
  }
  if (x.every(Array.isArray)) {
    return (x as number[][]).map((row) => row.map((_, j) => slope(row, j))) as X;
  }
  throw new TypeError("Expected x to be an array of numbers or an array of rows but found a mix");
}
