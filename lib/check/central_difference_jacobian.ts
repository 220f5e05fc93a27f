/**
 * The numerical Jacobian of a vector function by central differences.
 *
 * @module
 */

import { centralDifference, type CentralDifferenceOptions } from "./central_difference.ts";

/**
 * The Jacobian of f at x by central differences: J[i][j] = ∂f_i/∂x_j, row i the
 * {@linkcode centralDifference} of f_i (so f runs 2n times per output).
 *
 * @param f The function, from (n) to (m).
 * @param x The point: (n). Moved and restored in place, one entry at a time.
 * @param options The step h.
 * @returns The numerical Jacobian ∂f/∂x: (m, n).
 *
 * @example The Jacobian of (x₀ x₁, x₀)
 * ```ts
 * import { centralDifferenceJacobian } from "./central_difference_jacobian.ts";
 * import { maxAbsDifference } from "./max_abs_difference.ts";
 * import { assertLess } from "@std/assert";
 *
 * const J = centralDifferenceJacobian(([a, b]) => [a * b, a], [2, 3]);
 * assertLess(maxAbsDifference(J, [[3, 2], [1, 0]]), 1e-8);
 * ```
 */
export function centralDifferenceJacobian(
  f: (x: number[]) => readonly number[],
  x: number[],
  options: CentralDifferenceOptions = {},
): number[][] {
  // x is (n), f(x) is (m), J is (m, n)
  return Array.from(f(x), (_, i) => centralDifference((v) => f(v)[i], x, options));
}
