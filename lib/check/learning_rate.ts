/**
 * The one rule for a learning rate, shared by the scalar network, its trainer, the optimizers
 * and the tensor trainer.
 *
 * @module
 */

/**
 * Checks a learning rate: a finite number greater than 0; a RangeError names what was found.
 *
 * @param lr The learning rate.
 *
 * @example
 * ```ts
 * import { checkLearningRate } from "./learning_rate.ts";
 * import { assertThrows } from "@std/assert";
 *
 * checkLearningRate(0.1);
 * assertThrows(() => checkLearningRate(0), RangeError, "Expected lr to be a finite number greater than 0 but found 0");
 * ```
 */
export function checkLearningRate(lr: unknown): asserts lr is number {
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) {
    throw new RangeError(`Expected lr to be a finite number greater than 0 but found ${lr}`);
  }
}
