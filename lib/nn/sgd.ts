/**
 * Stochastic gradient descent: the learning rate, its schedule over the steps, and momentum
 * with its velocity buffers. The MLP applies the update (see `Mlp.applyGradients` and
 * `Mlp.trainStep`); this class holds the hyperparameters and the optimizer's state.
 *
 * @module
 */

import { Matrix } from "../tensor/matrix.ts";

/**
 * How the learning rate moves over the run, as a fraction of the base rate at step t of T:
 * `"constant"` 1; `"linear"` 1 − t/T; `"cosine"` (1 + cos(πt/T))/2.
 */
export type ScheduleName = "constant" | "linear" | "cosine";

/** The schedule names. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "linear", "cosine"];

/** Options of {@linkcode Sgd}. */
export interface SgdOptions {
  /** The base learning rate: a finite number greater than 0. */
  lr: number;
  /** The momentum μ, from 0 to below 1 (PyTorch's form: v ← μv + g, p ← p − lr·v). @default {0} */
  momentum?: number;
  /** The learning-rate schedule. @default {"constant"} */
  schedule?: ScheduleName;
  /** The number of steps the schedule spans; needed unless the schedule is constant. */
  totalSteps?: number;
}

/**
 * The SGD optimizer's hyperparameters and state.
 *
 * @example A cosine schedule halves the rate half-way
 * ```ts
 * import { Sgd } from "./sgd.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const sgd = new Sgd({ lr: 0.1, schedule: "cosine", totalSteps: 100 });
 * assertAlmostEquals(sgd.learningRate(50), 0.05);
 * ```
 */
export class Sgd {
  /** The base learning rate. */
  readonly lr: number;
  /** The momentum μ (0: plain SGD). */
  readonly momentum: number;
  /** The learning-rate schedule. */
  readonly schedule: ScheduleName;
  /** The number of steps the schedule spans (Infinity for a constant rate without a count). */
  readonly totalSteps: number;
  /** Steps taken so far. */
  steps = 0;
  #velocities = new Map<Matrix, Matrix>();

  /**
   * Creates an optimizer; every option is checked before any work.
   *
   * @param options Learning rate, momentum, schedule and its length.
   */
  constructor(options: SgdOptions) {
    const { lr, momentum = 0, schedule = "constant", totalSteps } = options;
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) {
      throw new RangeError(`Expected lr to be a finite number greater than 0 but found ${lr}`);
    }
    if (typeof momentum !== "number" || !(momentum >= 0 && momentum < 1)) {
      throw new RangeError(`Expected momentum to be from 0 to below 1 but found ${momentum}`);
    }
    if (!SCHEDULE_NAMES.includes(schedule)) {
      throw new RangeError(
        `Expected schedule to be one of ${SCHEDULE_NAMES.join(", ")} but found ${schedule}`,
      );
    }
    if (schedule !== "constant" || totalSteps !== undefined) {
      if (totalSteps === undefined || !Number.isInteger(totalSteps) || totalSteps < 1) {
        throw new RangeError(
          `Expected totalSteps to be an integer of at least 1 for the ${schedule} schedule but found ${totalSteps}`,
        );
      }
    }
    this.lr = lr;
    this.momentum = momentum;
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
   * The velocity buffer of a parameter (zeros at first), kept across steps.
   *
   * @param param The parameter it belongs to.
   * @returns A matrix of the parameter's shape.
   */
  velocity(param: Matrix): Matrix {
    let v = this.#velocities.get(param);
    if (v === undefined) {
      v = new Matrix(param.rows, param.cols);
      this.#velocities.set(param, v);
    }
    return v;
  }
}
