/**
 * The softmax module, y = softmax(o), forward, Jacobian (Q1) and backward through the Jacobian.
 *
 * @module
 */

import { portableExp } from "../data/portable_math.ts";

/**
 * The softmax's forward pass: y_i = e^(o_i) / Σ_j e^(o_j), computed as e^(o_i − m) / Σ_j
 * e^(o_j − m) with m = max_j o_j, so no exponential overflows (logits of ±1000 are fine).
 *
 * @param o The logits: (n).
 * @returns The probabilities y: (n), each in [0, 1], summing to 1.
 *
 * @example Large logits do not overflow
 * ```ts
 * import { scalarSoftmaxForward } from "./softmax.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxForward([1000, 1000]), [0.5, 0.5]);
 * assertEquals(scalarSoftmaxForward([1000, -1000]), [1, 0]);
 * ```
 */
export function scalarSoftmaxForward(o: readonly number[]): number[] {
  // o and y are (n)
  const m = Math.max(...o);
  const e = o.map((oi) => portableExp(oi - m));
  const sum = e.reduce((s, ei) => s + ei, 0);
  return e.map((ei) => ei / sum);
}

/**
 * The softmax's Jacobian from its output (Q1): ∂y_i/∂o_j = y_i (δ_ij − y_j), δ the identity.
 *
 * @param y The softmax output: (n).
 * @returns The Jacobian J, J[i][j] = ∂y_i/∂o_j: (n, n).
 *
 * @example Two equal logits
 * ```ts
 * import { scalarSoftmaxJacobian } from "./softmax.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxJacobian([0.5, 0.5]), [[0.25, -0.25], [-0.25, 0.25]]);
 * ```
 */
export function scalarSoftmaxJacobian(y: readonly number[]): number[][] {
  // y is (n), J is (n, n)
  return y.map((yi, i) => y.map((yj, j) => i === j ? yi * (1 - yi) : -yi * yj));
}

/**
 * The softmax's backward pass through its Jacobian: do_j = Σ_i dy_i ∂y_i/∂o_j.
 *
 * @param dy The upstream gradient ∂l/∂y: (n).
 * @param y The forward pass's output: (n).
 * @returns The gradient ∂l/∂o: (n).
 *
 * @example The gradient of y_0 with respect to the logits
 * ```ts
 * import { scalarSoftmaxBackward } from "./softmax.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxBackward([1, 0], [0.5, 0.5]), [0.25, -0.25]);
 * ```
 */
export function scalarSoftmaxBackward(dy: readonly number[], y: readonly number[]): number[] {
  // dy, y and do are (n); J is (n, n)
  const J = scalarSoftmaxJacobian(y);
  return y.map((_, j) => J.reduce((sum, row, i) => sum + dy[i] * row[j], 0));
}
