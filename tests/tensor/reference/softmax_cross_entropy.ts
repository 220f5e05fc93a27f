/**
 * Softmax and cross-entropy fused: the mean loss over a batch straight from the logits
 * (log-sum-exp, no clipping), and its gradient (y − t) / batch.
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { checkLabels, outputFor } from "./_common.ts";
import { mapElements, rowMax, rowSum } from "./_elementwise.ts";
import type { OpOptions } from "./op_options.ts";
import { softmaxForward } from "./softmax.ts";

/**
 * The mean cross-entropy of the softmax of the logits against integer labels:
 * l = (1 / batch) Σ_i [log Σ_j e^(o_ij − m_i) − (o_(i, c_i) − m_i)], with m_i the row maximum and
 * c_i the label of row i. No clipping: finite wherever the logits are. o is (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param labels The class of each row, integers from 0 to numClasses − 1: batch of them.
 * @returns The mean loss over the batch.
 *
 * @example ln 2 for two equal logits; large logits give a finite loss
 * ```ts
 * import { softmaxCrossEntropyForward } from "./softmax_cross_entropy.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * assertAlmostEquals(softmaxCrossEntropyForward(Matrix.from([[3, 3]]), [0]), Math.LN2, 1e-6);
 * assertAlmostEquals(softmaxCrossEntropyForward(Matrix.from([[1000, -1000]]), [1]), 2000, 1e-3);
 * ```
 */
export function softmaxCrossEntropyForward(o: Matrix, labels: ArrayLike<number>): number {
  checkLabels("softmaxCrossEntropyForward", o, labels);
  let total = 0;
  for (let i = 0; i < o.rows; i++) {
    const m = rowMax(o, i);
    const lse = Math.log(rowSum(o, i, (v) => Math.exp(v - m))); // log Σ_j e^(o_ij − m_i)
    total += lse - (o.data[i * o.cols + labels[i]] - m); // − (o_(i, c_i) − m_i)
  }
  return total / o.rows;
}

/**
 * The gradient of {@linkcode softmaxCrossEntropyForward} with respect to the logits:
 * ∂l/∂o = (y − t) / batch, with y = softmax(o) row by row and t the one-hot labels.
 * o and dO are (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param labels The class of each row: batch of them.
 * @param options The output (out may be o).
 * @returns dO: (batch, numClasses).
 *
 * @example Equal logits, two examples
 * ```ts
 * import { softmaxCrossEntropyBackward } from "./softmax_cross_entropy.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const dO = softmaxCrossEntropyBackward(Matrix.from([[0, 0], [0, 0]]), [0, 1]);
 * assertEquals(dO.toArray(), [[-0.25, 0.25], [0.25, -0.25]]);
 * ```
 */
export function softmaxCrossEntropyBackward(
  o: Matrix,
  labels: ArrayLike<number>,
  options: Pick<OpOptions, "out"> = {},
): Matrix {
  checkLabels("softmaxCrossEntropyBackward", o, labels);
  const dO = outputFor("softmaxCrossEntropyBackward", o.rows, o.cols, options.out);
  const y = softmaxForward(o, { out: dO });
  const batch = o.rows; // dO = (y − t) / batch, t the one-hot labels
  return mapElements(dO, (i, j) => (y.data[i * o.cols + j] - (labels[i] === j ? 1 : 0)) / batch);
}
