/**
 * The one rule for a run that diverged: its loss became NaN or infinite, or its running mean loss
 * rose far above that of a uniform guess.
 *
 * @module
 */

/**
 * Batches in the running mean watched for an exploding loss, from the 100th batch on: a shorter
 * window would stop good runs, whose first losses can spike to several times ln 10 (plain SGD at
 * lr 1 does). A shorter run is stopped only by a NaN or infinite loss.
 */
export const DIVERGENCE_WINDOW = 100;

/**
 * A run has diverged when its running mean loss exceeds this many times ln(numClasses), the loss
 * of a uniform guess: a far too large rate (say 1000) gives huge but finite losses (the
 * cross-entropy is computed stably, sigmoids saturate), and a run that learns never comes near.
 */
export const DIVERGENCE_FACTOR = 3;

/** Why a run stopped early. */
export type DivergenceReason = "non-finite loss" | "exploding loss";

/** Watches a run's batch losses, one at a time, for divergence. */
export class DivergenceWatch {
  readonly #limit: number;
  readonly #exploding: boolean;
  #window = 0; // the sum of the last DIVERGENCE_WINDOW batch losses

  /**
   * @param numClasses The number of classes (a uniform guess's loss is its logarithm).
   * @param stopOnDivergence Whether an exploding loss stops the run (a non-finite one always does).
   */
  constructor(numClasses: number, stopOnDivergence: boolean) {
    this.#limit = DIVERGENCE_FACTOR * Math.log(numClasses);
    this.#exploding = stopOnDivergence;
  }

  /**
   * Takes the loss of step `step` (from 1).
   *
   * @param losses Every batch loss so far: losses[step − 1] is the new one.
   * @param step The step.
   * @returns Why the run diverged at this step, or null.
   */
  check(losses: Float32Array, step: number): DivergenceReason | null {
    const loss = losses[step - 1];
    if (!Number.isFinite(loss)) return "non-finite loss";
    this.#window += loss;
    if (step > DIVERGENCE_WINDOW) this.#window -= losses[step - 1 - DIVERGENCE_WINDOW];
    const exploded = step >= DIVERGENCE_WINDOW && this.#window / DIVERGENCE_WINDOW > this.#limit;
    return this.#exploding && exploded ? "exploding loss" : null;
  }
}
