/**
 * What every optimizer shares: a base learning rate, its schedule over the steps, and the step
 * count. {@linkcode Sgd} (plain or with momentum) and {@linkcode Adam} extend it; a schedule
 * composes with either.
 *
 * @module
 */

import type { Backend } from "../tensor/backend.ts";
import type { Matrix } from "../tensor/matrix.ts";
import { checkOneOf, checkPositive, OptionError } from "../check/option_rules.ts";

/**
 * How the learning rate moves over the run, as a fraction of the base rate at step t of T:
 * `"constant"` 1; `"linear"` 1 − t/T; `"cosine"` (1 + cos(πt/T))/2.
 */
export type ScheduleName = "constant" | "linear" | "cosine";

/** The schedule names. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "linear", "cosine"];

/** The optimizers: `"sgd"` ({@linkcode Sgd}, with or without momentum) and `"adam"`. */
export type OptimizerName = "sgd" | "adam";

/** The optimizer names. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ["sgd", "adam"];

/** The options every optimizer takes. */
export interface OptimizerOptions {
  /** The base learning rate: a finite number greater than 0. */
  lr: number;
  /** The learning-rate schedule. @default {"constant"} */
  schedule?: ScheduleName;
  /** The number of steps the schedule spans; needed unless the schedule is constant. */
  totalSteps?: number;
}

/**
 * An optimizer: it updates parameters in place from their gradients, one step at a time, at the
 * scheduled learning rate, and keeps whatever state it needs per parameter.
 */
export abstract class Optimizer {
  /** The optimizer's name. */
  abstract readonly name: OptimizerName;
  /** The base learning rate. */
  readonly lr: number;
  /** The learning-rate schedule. */
  readonly schedule: ScheduleName;
  /** The number of steps the schedule spans (Infinity for a constant rate without a count). */
  readonly totalSteps: number;
  /** Steps taken so far. */
  steps = 0;

  /**
   * Checks the shared options (a RangeError names the first bad one).
   *
   * @param options Learning rate, schedule and its length.
   */
  constructor(options: OptimizerOptions) {
    const { lr, schedule = "constant", totalSteps } = options;
    checkPositive("lr", lr);
    checkOneOf("schedule", schedule, SCHEDULE_NAMES);
    const steps = totalSteps ?? (schedule === "constant" ? 1 : undefined);
    if (!(Number.isInteger(steps) && steps! >= 1)) {
      throw new OptionError(
        "totalSteps",
        `an integer of at least 1 for the ${schedule} schedule`,
        totalSteps,
      );
    }
    this.lr = lr;
    this.schedule = schedule;
    this.totalSteps = totalSteps ?? Infinity;
  }

  /**
   * The learning rate at a step.
   *
   * @param step The step, from 0. @default {this.steps}
   * @returns lr times the schedule's factor.
   */
  learningRate(step: number = this.steps): number {
    const t = Math.min(step / this.totalSteps, 1);
    switch (this.schedule) {
      case "constant":
        return this.lr;
      case "linear":
        return this.lr * (1 - t);
      case "cosine":
        return this.lr * 0.5 * (1 + Math.cos(Math.PI * t));
    }
  }

  /**
   * One step: updates every parameter in place from its gradient, then counts the step.
   *
   * @param params The parameters.
   * @param grads Their gradients, in the same order and shapes.
   * @param backend The backend for the vector operations.
   */
  abstract step(params: readonly Matrix[], grads: readonly Matrix[], backend: Backend): void;
}
