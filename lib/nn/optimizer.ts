/**
 * What every optimizer shares: its bound parameters, a base learning rate and its schedule, the
 * step count, and the two routes of a step: from whole gradients ({@linkcode Optimizer.step}, the
 * reference) and from the layers' deltas ({@linkcode Optimizer.update}, the training step's
 * route, where an optimizer may fold the gradient into its update).
 *
 * @module
 */

import type { Backend } from "../tensor/backend.ts";
import type { Matrix } from "../tensor/matrix.ts";
import { checkOneOf, checkPositive, OptionError } from "../options/option_rules.ts";

/**
 * How the learning rate moves over the run, as a fraction of the base rate at step t of T:
 * `"constant"` 1; `"linear"` 1 − t/T; `"cosine"` (1 + cos(πt/T))/2.
 */
export type ScheduleName = "constant" | "linear" | "cosine";

/** Each schedule's rate at the fraction t = step/T of the run (capped at 1), from the base rate. */
const SCHEDULES: Record<ScheduleName, (lr: number, t: number) => number> = {
  constant: (lr) => lr,
  linear: (lr, t) => lr * (1 - t),
  cosine: (lr, t) => lr * 0.5 * (1 + Math.cos(Math.PI * t)),
};

/** The schedule names. */
export const SCHEDULE_NAMES = Object.keys(SCHEDULES) as readonly ScheduleName[];

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

/** What an optimizer updates, in its backend's memory (an `Mlp` is one). */
export interface Parameters {
  /** W_l: (n_l, n_{l+1}). */
  readonly weights: readonly Matrix[];
  /** b_l: (1, n_{l+1}). */
  readonly biases: readonly Matrix[];
  readonly backend: Backend;
}

/** The gradients of the mean loss with respect to every weight and bias. */
export interface MlpGradients {
  /** ∂l/∂W_l: (n_l, n_{l+1}) each. */
  dW: Matrix[];
  /** ∂l/∂b_l: (1, n_{l+1}) each. */
  db: Matrix[];
}

/**
 * One layer's share of a step: ∂l/∂W_l = Aᵀ·dZ (in W's rows at `columns` only, when A is
 * compacted) and ∂l/∂b_l = Σ_rows dZ.
 */
export interface LayerDelta {
  /** The layer l, from 0. */
  layer: number;
  /** W_l: (n_l, n_{l+1}); or its rows at `columns`, (k, n_{l+1}), in a scratch to overwrite. */
  W: Matrix;
  /** The layer's input: (B, n_l); or its k columns `columns`, (B, k). */
  A: Matrix;
  /** ∂l/∂Z_l, the gradient of the layer's pre-activation: (B, n_{l+1}). */
  dZ: Matrix;
  /** The input columns A holds (strictly increasing), or null when it holds all n_l. */
  columns: Int32Array | null;
}

/**
 * The gradients of a layer from its delta, written into dW (n_l, n_{l+1}) and db (1, n_{l+1}).
 *
 * @param backend The backend of the products.
 * @param delta The layer's delta.
 * @param dW Where ∂l/∂W_l goes.
 * @param db Where ∂l/∂b_l goes.
 */
export function layerGradient(backend: Backend, delta: LayerDelta, dW: Matrix, db: Matrix): void {
  const { W, A, dZ, columns } = delta;
  if (columns === null) {
    backend.gemm({ a: A, b: dZ, c: dW, transA: true });
  } else {
    backend.gemm({ a: A, b: dZ, c: W, transA: true }); // the lit rows: (k, n_{l+1})
    dW.data.fill(0);
    backend.scatterRows({ x: W, rows: columns, out: dW });
  }
  backend.columnSums({ x: dZ, out: db });
}

/**
 * An optimizer bound to its parameters: it updates them in place, one step at a time, at the
 * scheduled learning rate, with its state per parameter in their backend's memory. Parameter i
 * is W_i for i < L and b_(i−L) after.
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
  /** Every parameter: the weights, then the biases. */
  protected readonly all: readonly Matrix[];
  #grads: MlpGradients | undefined; // for the default update, made on first use

  /**
   * Checks the shared options (a RangeError names the first bad one) and binds the parameters.
   *
   * @param params The parameters it updates (for instance an `Mlp`).
   * @param options Learning rate, schedule and its length.
   */
  constructor(readonly params: Parameters, options: OptimizerOptions) {
    const { lr, schedule = "constant", totalSteps } = options;
    checkPositive("lr", lr);
    checkOneOf("schedule", schedule, SCHEDULE_NAMES);
    const steps = totalSteps ?? (schedule === "constant" ? 1 : undefined);
    if (!(Number.isInteger(steps) && steps! >= 1)) {
      const rule = `an integer of at least 1 for the ${schedule} schedule`;
      throw new OptionError("totalSteps", rule, totalSteps);
    }
    this.all = [...params.weights, ...params.biases];
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
    return SCHEDULES[this.schedule](this.lr, Math.min(step / this.totalSteps, 1));
  }

  /**
   * One step from whole gradients (the reference): every parameter updated, the step counted.
   *
   * @param grads The gradients, in the parameters' shapes.
   */
  step(grads: MlpGradients): void {
    const lr = this.learningRate(), g = [...grads.dW, ...grads.db];
    this.all.forEach((_, i) => this.stepParameter(i, g[i], lr));
    this.steps++;
  }

  /**
   * One step from the layers' deltas (the training step's route), the step counted.
   *
   * @param deltas One delta per layer.
   */
  update(deltas: readonly LayerDelta[]): void {
    const lr = this.learningRate();
    for (const delta of deltas) this.updateLayer(delta, lr);
    this.steps++;
  }

  /**
   * Updates one layer from its delta: by default from its gradients ({@linkcode layerGradient});
   * an optimizer may fold them into its update instead.
   *
   * @param delta The layer's delta.
   * @param lr The step's learning rate.
   */
  protected updateLayer(delta: LayerDelta, lr: number): void {
    const L = this.params.weights.length, l = delta.layer, backend = this.params.backend;
    this.#grads ??= {
      dW: this.params.weights.map((W) => backend.matrix(W.rows, W.cols)),
      db: this.params.biases.map((b) => backend.matrix(1, b.cols)),
    };
    layerGradient(backend, delta, this.#grads.dW[l], this.#grads.db[l]);
    this.stepParameter(l, this.#grads.dW[l], lr);
    this.stepParameter(L + l, this.#grads.db[l], lr);
  }

  /**
   * Updates parameter i in place from its gradient.
   *
   * @param i The parameter: W_i for i < L, else b_(i−L).
   * @param g Its gradient, in its shape.
   * @param lr The step's learning rate.
   */
  protected abstract stepParameter(i: number, g: Matrix, lr: number): void;

  /** Zeros in a parameter's shape, in its backend's memory, one per parameter. */
  protected state(): Matrix[] {
    return this.all.map((p) => this.params.backend.matrix(p.rows, p.cols));
  }
}
