/**
 * Adam (Kingma and Ba 2015): SGD with a per-weight step size from running means of the gradient
 * and of its square.
 *
 * @module
 */

import type { Matrix } from "../tensor/matrix.ts";
import { Optimizer, type OptimizerOptions } from "./optimizer.ts";
import { checkDecayRate, checkPositive } from "../check/option_rules.ts";

/** Options of {@linkcode Adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** The decay of the gradient's running mean, from 0 to below 1. @default {0.9} */
  beta1?: number;
  /** The decay of the squared gradient's running mean, from 0 to below 1. @default {0.999} */
  beta2?: number;
  /** Added to √v̂ so the step stays finite: a number greater than 0. @default {1e-8} */
  epsilon?: number;
}

/**
 * Adam: at step t (from 1), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ),
 * v̂ = v/(1 − β₂ᵗ), p ← p − lr_t·m̂/(√v̂ + ε), elementwise, with lr_t the scheduled rate.
 *
 * @example The first step moves every weight by about lr, whatever the gradient's size
 * ```ts
 * import { Adam } from "./adam.ts";
 * import { Matrix } from "../tensor/matrix.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const p = Matrix.from([[1, 1]]);
 * new Adam({ lr: 0.01 }).step([p], [Matrix.from([[1000, -0.001]])]);
 * assertAlmostEquals(p.data[0], 0.99, 1e-6);
 * assertAlmostEquals(p.data[1], 1.01, 1e-5);
 * ```
 */
export class Adam extends Optimizer {
  /** Its name. */
  readonly name = "adam";
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  #moments = new Map<Matrix, { m: Float32Array; v: Float32Array }>();

  /**
   * Creates an optimizer; every option is checked before any work.
   *
   * @param options Learning rate, schedule and its length, β₁, β₂, ε.
   */
  constructor(options: AdamOptions) {
    super(options);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    checkDecayRate("beta1", beta1);
    checkDecayRate("beta2", beta2);
    checkPositive("epsilon", epsilon);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /**
   * One Adam step on every parameter, then the step counted.
   *
   * @param params The parameters.
   * @param grads Their gradients.
   */
  step(params: readonly Matrix[], grads: readonly Matrix[]): void {
    const { beta1: b1, beta2: b2, epsilon } = this;
    const t = this.steps + 1, lr = this.learningRate();
    const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
    params.forEach((p, i) => {
      let state = this.#moments.get(p);
      if (state === undefined) {
        state = { m: new Float32Array(p.size), v: new Float32Array(p.size) };
        this.#moments.set(p, state);
      }
      const { m, v } = state, g = grads[i].data, w = p.data;
      for (let k = 0; k < w.length; k++) {
        m[k] = b1 * m[k] + (1 - b1) * g[k];
        v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
        w[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
      }
    });
    this.steps++;
  }
}
