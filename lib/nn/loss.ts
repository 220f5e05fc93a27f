/**
 * The losses a network trains on, each from the logits to its summed loss and ∂l/∂O: the seam
 * the training step calls (adding a loss touches this file and its test only).
 *
 * @module
 */

import type { Backend, SoftmaxCrossEntropyResult } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import { rowArgmax, softmaxRows } from "../tensor/softmax.ts";
import { checkOneOf } from "../options/option_rules.ts";

/**
 * What the MLP's training step computes at its output:
 * - `"crossEntropy"`: the mean cross-entropy −log y_c, computed stably (log-sum-exp), and its
 *   exact gradient ∂l/∂O = (y − t)/B (the backend's primitive): the default and the reference;
 * - `"seedReport"`: what the student report's code did, kept to reproduce its experiment. Each
 *   probability is clipped into [0.0001, 0.9999] (`np.clip(y, 0.0001, 0.9999)`, not
 *   renormalised); the loss recorded is −log(clipped y_c) / n_classes; the gradient is
 *   (clipped y − t)/B, as the report's `dL_dSM = layer2_out - target_v`: the division by
 *   n_classes never reaches it.
 */
export type LossName = "crossEntropy" | "seedReport";

/** The loss names, in the order they are documented. */
export const LOSS_NAMES: readonly LossName[] = ["crossEntropy", "seedReport"];

/**
 * A loss: from the logits O (B, n) and B valid labels, the summed loss and correct count, and,
 * when dO (B, n) is given, ∂l/∂O of the mean loss written into it.
 */
export type Loss = (
  backend: Backend,
  o: Matrix,
  labels: ArrayLike<number>,
  dO: Matrix | null,
) => SoftmaxCrossEntropyResult;

const LOSSES: { readonly [N in LossName]: Loss } = {
  crossEntropy: (backend, o, labels, dO) => backend.softmaxCrossEntropy({ o, labels, dO }),
  seedReport(_backend, o, labels, dO) {
    const [B, n] = o.shape, y = softmaxRows(o, new Matrix(B, n)).data;
    const clip = (p: number) => Math.min(0.9999, Math.max(0.0001, p)); // np.clip(y, 0.0001, 0.9999)
    let lossSum = 0, correct = 0;
    const scale = 1 / B;
    for (let i = 0; i < B; i++) {
      const row = i * n, c = labels[i];
      if (rowArgmax(o.data, row, n) === c) correct++;
      lossSum -= Math.log(clip(y[row + c])) / n;
      if (dO === null) continue;
      for (let j = 0; j < n; j++) dO.data[row + j] = clip(y[row + j]) * scale;
      dO.data[row + c] -= scale;
    }
    return { lossSum, correct };
  },
};

/**
 * The loss of a name.
 *
 * @param name One of {@linkcode LOSS_NAMES}.
 * @returns The loss; a RangeError names `loss` for any other name.
 */
export function lossOf(name: LossName): Loss {
  checkOneOf("loss", name, LOSS_NAMES);
  return LOSSES[name];
}
