/**
 * The softmax's Jacobian, J_ij = ∂y_i/∂o_j, from the softmax output y.
 *
 * @module
 */

/**
 * The softmax's Jacobian from its output: ∂y_i/∂o_j = y_i (1 − y_i) when i = j and −y_i y_j
 * when i ≠ j (Q1).
 *
 * @param y The softmax output: (n).
 * @returns The Jacobian J, J[i][j] = ∂y_i/∂o_j: (n, n).
 *
 * @example Two equal logits
 * ```ts
 * import { scalarSoftmaxJacobian } from "./softmax_jacobian.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxJacobian([0.5, 0.5]), [[0.25, -0.25], [-0.25, 0.25]]);
 * ```
 */
export function scalarSoftmaxJacobian(y: readonly number[]): number[][] {
  // y is (n), J is (n, n)
  const J: number[][] = [];
  for (let i = 0; i < y.length; i++) {
    J.push(new Array<number>(y.length));
    for (let j = 0; j < y.length; j++) {
      J[i][j] = i === j ? y[i] * (1 - y[i]) : -y[i] * y[j];
    }
  }
  return J;
}
