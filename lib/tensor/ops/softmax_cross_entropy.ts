/**
 * Softmax and cross-entropy fused: the mean loss over a batch straight from the logits
 * (log-sum-exp, no clipping), and its gradient (y − t) / batch.
 *
 * @module
 */

import { Matrix } from "../matrix.ts";
import { backendOf, checkLabels, outputFor } from "./_common.ts";
import type { OpOptions } from "./op_options.ts";
import { softmaxForward } from "./softmax.ts";

/** Options of {@linkcode softmaxCrossEntropyForward}: only the backend (the result is a number). */
export type SoftmaxCrossEntropyForwardOptions = Omit<OpOptions, "out">;

/**
 * The mean cross-entropy of the softmax of the logits against integer labels:
 * l = (1 / batch) Σ_i [log Σ_j e^(o_ij − m_i) − (o_(i, c_i) − m_i)], with m_i the row maximum and
 * c_i the label of row i. No clipping: finite wherever the logits are. o is (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param labels The class of each row, integers from 0 to numClasses − 1: batch of them.
 * @param options The backend.
 * @returns The mean loss over the batch.
 *
 * @example ln 2 for two equal logits; large logits give a finite loss
 * ```ts
 * import { softmaxCrossEntropyForward } from "./softmax_cross_entropy.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * assertAlmostEquals(softmaxCrossEntropyForward(Matrix.from([[3, 3]]), [0]), Math.LN2, 1e-6);
 * assertAlmostEquals(softmaxCrossEntropyForward(Matrix.from([[1000, -1000]]), [1]), 2000, 1e-3);
 * ```
 */
export function softmaxCrossEntropyForward(
  o: Matrix,
  labels: ArrayLike<number>,
  options: SoftmaxCrossEntropyForwardOptions = {},
): number {
  checkLabels("softmaxCrossEntropyForward", o, labels);
  const backend = backendOf(options);
  const batch = o.rows;
  const t = Matrix.oneHot(labels, o.cols); // (batch, numClasses)
  const m = backend.max({ x: o, axis: 1, out: new Matrix(batch, 1) });
  const z = backend.sub({ a: o, b: m, out: new Matrix(batch, o.cols) }); // o − m
  const e = backend.exp({ x: z, out: new Matrix(batch, o.cols) });
  const lse = backend.sum({ x: e, axis: 1, out: new Matrix(batch, 1) });
  backend.log({ x: lse, out: lse }); // log Σ_j e^(o_ij − m_i)
  backend.mul({ a: z, b: t, out: z }); // keeps o_(i, c_i) − m_i only
  const picked = backend.sum({ x: z, axis: 1, out: new Matrix(batch, 1) });
  const losses = backend.sub({ a: lse, b: picked, out: lse }); // (batch, 1)
  const total = backend.sum({ x: losses, axis: 0, out: new Matrix(1, 1) });
  return total.data[0] / batch;
}

/**
 * The gradient of {@linkcode softmaxCrossEntropyForward} with respect to the logits:
 * ∂l/∂o = (y − t) / batch, with y = softmax(o) row by row and t the one-hot labels.
 * o and dO are (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param labels The class of each row: batch of them.
 * @param options Backend and output (out may be o).
 * @returns dO: (batch, numClasses).
 *
 * @example Equal logits, two examples
 * ```ts
 * import { softmaxCrossEntropyBackward } from "./softmax_cross_entropy.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const dO = softmaxCrossEntropyBackward(Matrix.from([[0, 0], [0, 0]]), [0, 1]);
 * assertEquals(dO.toArray(), [[-0.25, 0.25], [0.25, -0.25]]);
 * ```
 */
export function softmaxCrossEntropyBackward(
  o: Matrix,
  labels: ArrayLike<number>,
  options: OpOptions = {},
): Matrix {
  checkLabels("softmaxCrossEntropyBackward", o, labels);
  const backend = backendOf(options);
  const t = Matrix.oneHot(labels, o.cols);
  const dO = outputFor("softmaxCrossEntropyBackward", o.rows, o.cols, options.out);
  softmaxForward(o, { backend, out: dO }); // y
  backend.sub({ a: dO, b: t, out: dO }); // y − t
  return backend.mul({ a: dO, b: Matrix.scalar(1 / o.rows), out: dO }); // (y − t) / batch
}
