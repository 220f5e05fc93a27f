/**
 * Adam (Kingma and Ba 2015): SGD with a per-weight step size from running means of the gradient
 * and of its square, each parameter's update the backend's `adam` primitive; a compacted layer's
 * gradient stays in its lit rows, which the primitive reads as they are (zero elsewhere).
 *
 * @module
 */

import type { Matrix } from "../tensor/matrix.ts";
import { type LayerDelta, Optimizer, type OptimizerOptions, type Parameters } from "./optimizer.ts";
import { checkDecayRate, checkPositive } from "../options/option_rules.ts";

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
 * import { jsBackend } from "../tensor/backends/js.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const p = Matrix.from([[1, 1]]);
 * const adam = new Adam({ weights: [p], biases: [], backend: jsBackend }, { lr: 0.01 });
 * adam.step({ dW: [Matrix.from([[1000, -0.001]])], db: [] });
 * assertAlmostEquals(p.data[0], 0.99, 1e-6);
 * assertAlmostEquals(p.data[1], 1.01, 1e-5);
 * ```
 */
export class Adam extends Optimizer {
  readonly name = "adam";
  /** β₁, the decay of the gradient's running mean. */
  readonly beta1: number;
  /** β₂, the decay of the squared gradient's running mean. */
  readonly beta2: number;
  /** ε, added to √v̂. */
  readonly epsilon: number;
  readonly #m: Matrix[]; // the gradient's running mean, per parameter
  readonly #v: Matrix[]; // the squared gradient's running mean, per parameter
  readonly #db: Matrix[]; // ∂l/∂b_l scratch per layer, for compacted layers

  /**
   * Creates an optimizer bound to its parameters; every option is checked before any work.
   *
   * @param params The parameters to update (for instance an `Mlp`).
   * @param options Learning rate, schedule and its length, β₁, β₂, ε.
   */
  constructor(params: Parameters, options: AdamOptions) {
    super(params, options);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    checkDecayRate("beta1", beta1);
    checkDecayRate("beta2", beta2);
    checkPositive("epsilon", epsilon);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.#m = this.state();
    this.#v = this.state();
    this.#db = params.biases.map((b) => params.backend.matrix(1, b.cols));
  }

  /** The backend's Adam step on parameter i; g holds only its rows `rows` when they are given. */
  protected stepParameter(i: number, g: Matrix, lr: number, rows: Int32Array | null = null): void {
    const { beta1, beta2, epsilon } = this, step = this.steps + 1;
    const [p, m, v] = [this.all[i], this.#m[i], this.#v[i]];
    this.params.backend.adam({ p, g, m, v, rows, lr, beta1, beta2, epsilon, step });
  }

  /** A compacted layer: the Adam step reads ∂l/∂W_l's lit rows where the product leaves them. */
  protected override updateLayer(delta: LayerDelta, lr: number): void {
    const { layer, W, A, dZ, columns } = delta, backend = this.params.backend;
    if (columns === null) return super.updateLayer(delta, lr);
    backend.gemm({ a: A, b: dZ, c: W, transA: true }); // the lit rows: (k, n_{l+1})
    this.stepParameter(layer, W, lr, columns);
    backend.columnSums({ x: dZ, out: this.#db[layer] });
    this.stepParameter(this.params.weights.length + layer, this.#db[layer], lr);
  }
}
