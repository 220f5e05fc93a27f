/**
 * The loss a network trains on.
 *
 * @module
 */

/**
 * What the MLP's training step computes at its output:
 * - `"crossEntropy"`: the mean cross-entropy −log y_c, computed stably (log-sum-exp), and its
 *   exact gradient ∂l/∂O = (y − t)/B: the default and the reference;
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
