/**
 * Softmax and cross-entropy fused into one stable module: the loss straight from the logits
 * (log-sum-exp), and its gradient ∂l/∂o = y − t in one step (Q2).
 *
 * @module
 */

import { checkTarget } from "./_target.ts";

/**
 * The loss l = −log softmax(o)_c computed from the logits with log-sum-exp:
 * l = log Σ_j e^(o_j − m) − (o_c − m), with m = max_j o_j. Finite and exact where the
 * probability y_c underflows to 0 (logits of ±1000 give a loss of 2000, not Infinity).
 *
 * @param o The logits: (n).
 * @param target The target class c, an integer from 0 to n − 1.
 * @returns The loss l.
 *
 * @example Large logits give a finite loss
 * ```ts
 * import { scalarSoftmaxCrossEntropyForward } from "./softmax_cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxCrossEntropyForward([1000, -1000], 1), 2000);
 * assertEquals(scalarSoftmaxCrossEntropyForward([3, 3], 0), Math.LN2);
 * ```
 */
export function scalarSoftmaxCrossEntropyForward(o: readonly number[], target: number): number {
  // o is (n), target is an integer in [0, n)
  checkTarget(target, o.length);
  let m = -Infinity;
  for (const oi of o) m = Math.max(m, oi);
  let sum = 0;
  for (const oi of o) sum += Math.exp(oi - m);
  return Math.log(sum) - (o[target] - m);
}

/**
 * The gradient of the fused softmax and cross-entropy with respect to the logits:
 * ∂l/∂o_i = y_i − t_i, with t the one-hot target (t_c = 1, every other t_i = 0).
 *
 * @param y The softmax output of the forward pass: (n).
 * @param target The target class c, an integer from 0 to n − 1.
 * @returns The gradient ∂l/∂o: (n).
 *
 * @example Prediction minus one-hot target
 * ```ts
 * import { scalarSoftmaxCrossEntropyBackward } from "./softmax_cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSoftmaxCrossEntropyBackward([0.25, 0.75], 1), [0.25, -0.25]);
 * ```
 */
export function scalarSoftmaxCrossEntropyBackward(
  y: readonly number[],
  target: number,
): number[] {
  // y and do are (n)
  checkTarget(target, y.length);
  const dO = y.slice();
  dO[target] -= 1;
  return dO;
}
