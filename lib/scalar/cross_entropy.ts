/**
 * The cross-entropy module as derived, l = −log y_c on the probabilities y, forward and backward.
 * It is the module-by-module path; it fails where y_c underflows to 0, which is why the network
 * uses the fused `scalarSoftmaxCrossEntropyForward` and `scalarSoftmaxCrossEntropyBackward`
 * (softmax_cross_entropy.ts) instead.
 *
 * @module
 */

import { checkTarget } from "./_target.ts";

/**
 * The cross-entropy's forward pass on probabilities: l = −log y_c. Infinite when y_c has
 * underflowed to 0; `scalarSoftmaxCrossEntropyForward` on the logits is finite there.
 *
 * @param y The probabilities: (n).
 * @param target The target class c, an integer from 0 to n − 1.
 * @returns The loss l.
 *
 * @example −log ½ is ln 2
 * ```ts
 * import { scalarCrossEntropyForward } from "./cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarCrossEntropyForward([0.5, 0.5], 0), Math.LN2);
 * ```
 */
export function scalarCrossEntropyForward(y: readonly number[], target: number): number {
  // y is (n), target is an integer in [0, n)
  checkTarget(target, y.length);
  return -Math.log(y[target]);
}

/**
 * The cross-entropy's backward pass: ∂l/∂y_i = −1/y_c for i = c, and 0 for every other i.
 *
 * @param y The forward pass's probabilities: (n).
 * @param target The target class c, an integer from 0 to n − 1.
 * @returns The gradient ∂l/∂y: (n).
 *
 * @example Only the target's probability gets a gradient
 * ```ts
 * import { scalarCrossEntropyBackward } from "./cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarCrossEntropyBackward([0.25, 0.75], 1), [0, -1 / 0.75]);
 * ```
 */
export function scalarCrossEntropyBackward(y: readonly number[], target: number): number[] {
  // y and dy are (n)
  checkTarget(target, y.length);
  const dy = new Array<number>(y.length).fill(0);
  dy[target] = -1 / y[target];
  return dy;
}
