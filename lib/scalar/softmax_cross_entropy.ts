/**
 * The cross-entropy as derived, l = −log y_c on the probabilities (it fails where y_c underflows
 * to 0), and fused with the softmax: the loss from the logits and ∂l/∂o = y − t, stable (Q2).
 *
 * @module
 */

import { portableExp, portableLog } from "../data/portable_math.ts";

/**
 * The cross-entropy's forward pass on probabilities: l = −log y_c (Infinity when y_c is 0).
 *
 * @param y The probabilities: (n).
 * @param target The target class c, an integer from 0 to n − 1.
 * @returns The loss l.
 *
 * @example −log ½ is ln 2
 * ```ts
 * import { scalarCrossEntropyForward } from "./softmax_cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarCrossEntropyForward([0.5, 0.5], 0), Math.LN2);
 * ```
 */
export function scalarCrossEntropyForward(y: readonly number[], target: number): number {
  // y is (n), target is an integer in [0, n)
  checkTarget(target, y.length);
  return -portableLog(y[target]);
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
 * import { scalarCrossEntropyBackward } from "./softmax_cross_entropy.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarCrossEntropyBackward([0.25, 0.75], 1), [0, -1 / 0.75]);
 * ```
 */
export function scalarCrossEntropyBackward(y: readonly number[], target: number): number[] {
  // y and dy are (n)
  checkTarget(target, y.length);
  return y.map((yi, i) => i === target ? -1 / yi : 0);
}

/**
 * The loss l = −log softmax(o)_c from the logits with log-sum-exp, l = log Σ_j e^(o_j − m) −
 * (o_c − m) with m = max_j o_j: finite and exact where y_c underflows to 0.
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
  const m = Math.max(...o);
  const sum = o.reduce((s, oi) => s + portableExp(oi - m), 0);
  return portableLog(sum) - (o[target] - m);
}

/**
 * The fused module's gradient: ∂l/∂o_i = y_i − t_i, with t the one-hot target (t_c = 1).
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
  return y.map((yi, i) => i === target ? yi - 1 : yi);
}

/** Checks that a target class is an integer from 0 to numClasses − 1. */
function checkTarget(target: number, numClasses: number): void {
  if (typeof target !== "number") {
    throw new TypeError(`Expected target to be a number but found ${typeof target}`);
  }
  if (!Number.isInteger(target) || target < 0 || target >= numClasses) {
    throw new RangeError(
      `Expected target to be an integer from 0 to ${numClasses - 1} but found ${target}`,
    );
  }
}
