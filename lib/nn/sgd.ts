/**
 * Stochastic gradient descent, plain or with momentum. Its training-step update folds each
 * weight gradient into the update's product (W ← W − lr·Aᵀ·dZ in one gemm) and, for a compacted
 * input, touches only W's rows of lit columns; tests/nn/train_step_test.ts holds it to
 * {@linkcode Optimizer.step}, the generic update.
 *
 * @module
 */

import type { Matrix } from "../tensor/matrix.ts";
import { type LayerDelta, Optimizer, type OptimizerOptions, type Parameters } from "./optimizer.ts";
import { checkDecayRate } from "../options/option_rules.ts";

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
 * import { Mlp } from "./mlp.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const sgd = new Sgd(Mlp.init({ sizes: [2, 2], random: 0 }), { lr: 0.1, schedule: "cosine", totalSteps: 100 });
 * assertAlmostEquals(sgd.learningRate(50), 0.05);
 * ```
 */
export class Sgd extends Optimizer {
  readonly name = "sgd";
  /** The momentum μ (0: plain SGD). */
  readonly momentum: number;
  readonly #velocities: Matrix[]; // one per parameter, with momentum
  readonly #db: Matrix[]; // ∂l/∂b_l scratch per layer

  /**
   * Creates an optimizer bound to its parameters; every option is checked before any work.
   *
   * @param params The parameters to update (for instance an `Mlp`).
   * @param options Learning rate, momentum, schedule and its length.
   */
  constructor(params: Parameters, options: SgdOptions) {
    super(params, options);
    const { momentum = 0 } = options;
    checkDecayRate("momentum", momentum);
    this.momentum = momentum;
    this.#velocities = momentum === 0 ? [] : this.state();
    this.#db = params.biases.map((b) => params.backend.matrix(1, b.cols));
  }

  /** p ← p − lr·g, or v ← μv + g and p ← p − lr·v. */
  protected stepParameter(i: number, g: Matrix, lr: number): void {
    const backend = this.params.backend, p = this.all[i];
    if (this.momentum === 0) {
      backend.axpby({ alpha: -lr, x: g, beta: 1, y: p });
    } else {
      const v = this.#velocities[i];
      backend.axpby({ alpha: 1, x: g, beta: this.momentum, y: v });
      backend.axpby({ alpha: -lr, x: v, beta: 1, y: p });
    }
  }

  /** The fused update: Aᵀ·dZ never materialised on its own. */
  protected override updateLayer({ layer, W, A, dZ, columns }: LayerDelta, lr: number): void {
    const backend = this.params.backend, whole = this.params.weights[layer], mu = this.momentum;
    if (mu === 0) {
      backend.gemm({ a: A, b: dZ, c: W, transA: true, alpha: -lr, beta: 1 }); // W ← W − lr·Aᵀ·dZ
      if (columns !== null) backend.scatterRows({ x: W, rows: columns, out: whole });
    } else {
      const V = this.#velocities[layer];
      if (columns === null) {
        backend.gemm({ a: A, b: dZ, c: V, transA: true, alpha: 1, beta: mu }); // v ← μv + Aᵀ·dZ
      } else {
        // v ← μ·v everywhere, then v[rows] += Aᵀ·dZ through W's scratch rows
        backend.axpby({ alpha: 0, x: V, beta: mu, y: V });
        backend.gatherRows({ x: V, rows: columns, out: W });
        backend.gemm({ a: A, b: dZ, c: W, transA: true, alpha: 1, beta: 1 });
        backend.scatterRows({ x: W, rows: columns, out: V });
      }
      backend.axpby({ alpha: -lr, x: V, beta: 1, y: whole }); // p ← p − lr·v everywhere
    }
    backend.columnSums({ x: dZ, out: this.#db[layer] });
    this.stepParameter(this.params.weights.length + layer, this.#db[layer], lr);
  }
}
