/**
 * The softmax module, y = softmax(o), forward and backward (through its Jacobian).
 *
 * @module
 */

import { scalarSoftmaxJacobian } from "./softmax_jacobian.ts";

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
  let m = -Infinity;
  for (const oi of o) m = Math.max(m, oi);
  const y = new Array<number>(o.length);
  let sum = 0;
  for (let i = 0; i < o.length; i++) {
    y[i] = Math.exp(o[i] - m);
    sum += y[i];
  }
  for (let i = 0; i < o.length; i++) y[i] /= sum;
  return y;
}

/**
 * The softmax's backward pass through its Jacobian: do_j = Σ_i dy_i ∂y_i/∂o_j, with
 * ∂y_i/∂o_j = y_i (1 − y_i) for i = j and −y_i y_j for i ≠ j (see
 * {@linkcode scalarSoftmaxJacobian}).
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
  const dO = new Array<number>(y.length).fill(0);
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) dO[j] += dy[i] * J[i][j];
  }
  return dO;
}
