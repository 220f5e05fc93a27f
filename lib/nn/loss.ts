/**
 * The losses a network trains on, each from the logits to its summed loss and ∂l/∂O: the seam
 * the training step calls (adding a loss touches this file and its test only).
 *
 * @module
 */

import type { Backend } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import { softmaxRows } from "../tensor/softmax.ts";
import { checkOneOf } from "../options/option_rules.ts";

/**
 * What the MLP's training step computes at its output:
 * - `"crossEntropy"`: the mean cross-entropy −log y_c, computed stably (log-sum-exp), and its
 *   exact gradient ∂l/∂O = (y − t)/B: the default and the reference (the backend's
 *   softmax-with-cross-entropy primitive);
 * - `"seedReport"`: what the student report's code did, kept to reproduce its experiment. Each
 *   probability is clipped into [{@linkcode SEED_REPORT_CLIP}, 1 − {@linkcode SEED_REPORT_CLIP}]
 *   (`np.clip(y, 0.0001, 0.9999)`, not renormalised); the loss recorded is
 *   −log(clipped y_c) / n_classes; the gradient is (clipped y − t)/B, as the report's
 *   `dL_dSM = layer2_out - target_v`: the division by n_classes never reaches it.
 */
export type LossName = "crossEntropy" | "seedReport";

/** The loss names, in the order they are documented. */
export const LOSS_NAMES: readonly LossName[] = ["crossEntropy", "seedReport"];

/** The student report's clipping bound: probabilities are kept within [0.0001, 0.9999]. */
export const SEED_REPORT_CLIP = 0.0001;

/** A batch's summed (not mean) loss and the number of rows whose largest logit is the label. */
export interface LossSum {
  lossSum: number;
  correct: number;
}

/**
 * A loss: from the logits O (B, n) and B valid labels, the summed loss and correct count, and,
 * when dO (B, n) is given, ∂l/∂O of the mean loss written into it.
 */
export type Loss = (
  backend: Backend,
  o: Matrix,
  labels: ArrayLike<number>,
  dO: Matrix | null,
) => LossSum;

const LOSSES: { readonly [N in LossName]: Loss } = {
  crossEntropy: (backend, o, labels, dO) => backend.softmaxCrossEntropy({ o, labels, dO }),
  seedReport(_backend, o, labels, dO) {
    const [B, n] = o.shape, y = softmaxRows(o, new Matrix(B, n)).data;
    const clip = (p: number) => Math.min(1 - SEED_REPORT_CLIP, Math.max(SEED_REPORT_CLIP, p));
    let lossSum = 0, correct = 0;
    const scale = 1 / B;
    for (let i = 0; i < B; i++) {
      const row = i * n, c = labels[i];
      let best = 0;
      for (let j = 1; j < n; j++) if (o.data[row + j] > o.data[row + best]) best = j;
      if (best === c) correct++;
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
