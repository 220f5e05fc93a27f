/**
 * Stochastic gradient descent, plain or with momentum. `Mlp.trainStep` folds its update into the
 * matrix products of the backward pass (the fast path); {@linkcode Sgd.step} is the generic
 * update that path is tested against.
 *
 * @module
 */

import type { Backend } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import { Optimizer, type OptimizerOptions } from "./optimizer.ts";
import { checkDecayRate } from "../check/option_rules.ts";

/** Options of {@linkcode Sgd}. */
export interface SgdOptions extends OptimizerOptions {
  /** The momentum μ, from 0 to below 1 (PyTorch's form: v ← μv + g, p ← p − lr·v). @default {0} */
  momentum?: number;
}

/**
 * SGD: p ← p − lr·g, or with momentum μ, v ← μ·v + g and p ← p − lr·v.
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
export class Sgd extends Optimizer {
  /** Its name. */
  readonly name = "sgd";
  /** The momentum μ (0: plain SGD). */
  readonly momentum: number;
  #velocities = new Map<Matrix, Matrix>();

  /**
   * Creates an optimizer; every option is checked before any work.
   *
   * @param options Learning rate, momentum, schedule and its length.
   */
  constructor(options: SgdOptions) {
    super(options);
    const { momentum = 0 } = options;
    checkDecayRate("momentum", momentum);
    this.momentum = momentum;
  }

  /**
   * The velocity buffer of a parameter (zeros at first), kept across steps.
   *
   * @param param The parameter it belongs to.
   * @param backend The backend whose memory a new buffer is made in. @default {ordinary memory}
   * @returns A matrix of the parameter's shape.
   */
  velocity(param: Matrix, backend?: Backend): Matrix {
    let v = this.#velocities.get(param);
    if (v === undefined) {
      v = backend?.matrix(param.rows, param.cols) ?? new Matrix(param.rows, param.cols);
      this.#velocities.set(param, v);
    }
    return v;
  }

  /**
   * One SGD step on every parameter, then the step counted.
   *
   * @param params The parameters.
   * @param grads Their gradients.
   * @param backend The backend of axpby.
   */
  step(params: readonly Matrix[], grads: readonly Matrix[], backend: Backend): void {
    const lr = this.learningRate(), mu = this.momentum;
    params.forEach((p, i) => {
      if (mu === 0) {
        backend.axpby({ alpha: -lr, x: grads[i], beta: 1, y: p });
      } else {
        const v = this.velocity(p, backend);
        backend.axpby({ alpha: 1, x: grads[i], beta: mu, y: v });
        backend.axpby({ alpha: -lr, x: v, beta: 1, y: p });
      }
    });
    this.steps++;
  }
}
