/**
 * The multilayer perceptron of the assignment: hidden layers (sigmoid, tanh or ReLU), a softmax
 * output and the mean cross-entropy, for any layer sizes. One instance (Q5) is a batch of one:
 * the same forward and backward code serves both (Q6).
 *
 * Legend: B is the batch size, n_l the size of layer l (n_0 inputs, n_L outputs); X is (B, n_0),
 * W_l is (n_l, n_{l+1}), b_l is (1, n_{l+1}), H_l = f_l(H_{l−1}·W_l + b_l) is (B, n_{l+1}), the
 * logits O = H_{L−2}·W_{L−1} + b_{L−1} are (B, n_L).
 *
 * @module
 */

import { type RandomSource, toRandom } from "../data/random.ts";
import type { Backend } from "../tensor/backend.ts";
import { defaultBackend } from "../tensor/get_backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import { ACTIVATION_NAMES, type ActivationName } from "../tensor/activation.ts";
import { checkOneOf, OptionError } from "../options/option_rules.ts";
import { rowArgmax, softmaxRows } from "../tensor/softmax.ts";
import { type CompactInputs, InputProduct } from "./input_product.ts";
import { type InitName, initWeights } from "./init.ts";
import { type Loss, type LossName, lossOf } from "./loss.ts";
import { type LayerDelta, layerGradient, type MlpGradients, type Optimizer } from "./optimizer.ts";

/** Options of {@linkcode Mlp.init}. */
export interface MlpInitOptions {
  /** Layer sizes, inputs first and classes last; at least two. @default {[784, 300, 10]} */
  sizes?: readonly number[];
  /** The weight initialisation (biases start at 0). @default {"fanIn"}, N(0, 1/fan_in) */
  init?: InitName;
  /** The hidden layers' activation, one for all or one per hidden layer. @default {"sigmoid"} */
  activations?: ActivationName | readonly ActivationName[];
  /** The generator or seed the weights are drawn from. */
  random: RandomSource;
  /** The backend of the matrix products. @default {defaultBackend()} */
  backend?: Backend;
  /** Skip the input columns zero in all of a batch (input_product.ts). @default {true} */
  compact?: boolean;
}

/** The loss of a batch and how many of its examples the network classifies right. */
export interface BatchResult {
  /** The mean loss over the batch (the cross-entropy unless another loss was asked for). */
  loss: number;
  /** The number of examples whose largest logit is their label. */
  correct: number;
}

/** Options of {@linkcode Mlp.trainStep}. */
export interface TrainStepOptions {
  /** The optimizer, bound to this network's parameters. */
  optimizer: Optimizer;
  /** The loss, by name or one's own (where the two-core halves meet). @default {"crossEntropy"} */
  loss?: LossName | Loss;
}

/** Per batch size B: activations Z[l] (B, n_{l+1}), logits last; dZ[l], ∂l/∂ of Z[l] before f. */
type Workspace = { Z: Matrix[]; dZ: Matrix[] };

/**
 * A multilayer perceptron with hidden layers of any activation and a softmax output.
 *
 * @example One instance through a 4-3-2 network
 * ```ts
 * import { Mlp } from "./mlp.ts";
 * import { Matrix } from "../tensor/matrix.ts";
 * import { jsBackend } from "../tensor/backends/js.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const mlp = Mlp.init({ sizes: [4, 3, 2], random: 1, backend: jsBackend });
 * const logits = mlp.forward(Matrix.from([[1, 0, 0, 1]]));
 * assertEquals(logits.shape, [1, 2]);
 * const { loss, grads } = mlp.backward([1]);
 * assertEquals(grads.dW[0].shape, [4, 3]);
 * assertEquals(Number.isFinite(loss), true);
 * ```
 */
export class Mlp {
  /** The layer sizes, inputs first. */
  readonly sizes: readonly number[];
  /** W_l: (n_l, n_{l+1}). */
  readonly weights: Matrix[];
  /** b_l: (1, n_{l+1}). */
  readonly biases: Matrix[];
  /** The activation of each hidden layer: numLayers − 1 names. */
  readonly activations: readonly ActivationName[];
  /** The backend of the matrix products. */
  readonly backend: Backend;
  /** Whether the first layer's products skip all-zero input columns. */
  compact: boolean;
  #workspaces = new Map<number, Workspace>();
  #rows = 0; // the last forward's batch size, 0 before the first
  #input = new InputProduct(); // the first layer's product, compacted or not

  /**
   * Wraps given weights and biases (not copied).
   *
   * @param params W_l (n_l, n_{l+1}) and b_l (1, n_{l+1}) for every layer.
   * @param options Hidden activations, backend, compaction.
   */
  constructor(
    params: { weights: Matrix[]; biases: Matrix[] },
    options: Pick<MlpInitOptions, "activations" | "backend" | "compact"> = {},
  ) {
    const { weights, biases } = params;
    if (weights.length < 1 || weights.length !== biases.length) {
      throw new RangeError(
        `Expected as many bias rows as weight matrices (at least one) but found ${weights.length} weights and ${biases.length} biases`,
      );
    }
    const sizes = [weights[0].rows];
    weights.forEach((W, l) => {
      const n = sizes[l], b = biases[l];
      if (W.rows !== n) {
        throw new RangeError(
          `Expected W_${l} to have ${n} rows to follow the previous layer but found ${W.rows}`,
        );
      }
      if (b.rows !== 1 || b.cols !== W.cols) {
        throw new RangeError(
          `Expected b_${l} to be (1, ${W.cols}) but found (${b.rows}, ${b.cols})`,
        );
      }
      sizes.push(W.cols);
    });
    this.sizes = sizes;
    this.weights = weights;
    this.biases = biases;
    const { activations = "sigmoid" } = options;
    this.activations = typeof activations === "string"
      ? weights.slice(1).map(() => activations)
      : [...activations];
    const hidden = weights.length - 1, found = this.activations.length;
    if (found !== hidden) {
      throw new RangeError(
        `Expected an activation for each of the ${hidden} hidden layers but found ${found}`,
      );
    }
    for (const f of this.activations) checkOneOf("activation", f, ACTIVATION_NAMES);
    this.backend = options.backend ?? defaultBackend();
    this.compact = options.compact ?? true;
  }

  /**
   * A network with weights drawn by `init` and zero biases.
   *
   * @param options Sizes, init, generator, backend, compaction.
   * @returns The network.
   */
  static init(options: MlpInitOptions): Mlp {
    const { sizes = [784, 300, 10], init = "fanIn" } = options;
    if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new OptionError("sizes", "at least two integers of at least 1", sizes);
    }
    const random = toRandom(options.random);
    const { activations, backend = defaultBackend(), compact } = options;
    const weights: Matrix[] = [], biases: Matrix[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      weights.push(copyTo(backend, initWeights([sizes[l], sizes[l + 1]], { init, random })));
      biases.push(backend.matrix(1, sizes[l + 1]));
    }
    return new Mlp({ weights, biases }, { activations, backend, compact });
  }

  /** The number of weight layers (2 for 784-300-10). */
  get numLayers(): number {
    return this.weights.length;
  }

  /**
   * A deep copy, on the same or another backend (its parameters in that backend's memory).
   *
   * @param options The backend of the copy. @default {this.backend}
   * @returns The copy.
   */
  clone(options: { backend?: Backend } = {}): Mlp {
    const backend = options.backend ?? this.backend, copy = (m: Matrix) => copyTo(backend, m);
    return new Mlp(
      { weights: this.weights.map(copy), biases: this.biases.map(copy) },
      { activations: this.activations, backend, compact: this.compact },
    );
  }

  /**
   * The forward pass, its activations kept for {@linkcode Mlp.backward}; the logits returned are
   * a buffer that the next forward pass of the same batch size overwrites.
   *
   * @param X The inputs: (B, n_0), or only their columns that are not all zero.
   * @returns The logits O: (B, n_L).
   */
  forward(X: Matrix | CompactInputs): Matrix {
    const B = X instanceof Matrix ? X.rows : X.values.rows;
    const ws = this.#workspace(B), backend = this.backend;
    this.#rows = 0;
    for (let l = 0; l < this.numLayers; l++) {
      const Z = ws.Z[l];
      if (l === 0) this.#input.multiply(backend, X, this.weights[0], Z, this.compact);
      else backend.gemm({ a: ws.Z[l - 1], b: this.weights[l], c: Z });
      const f = l + 1 < this.numLayers ? this.activations[l] : "none";
      backend.biasActivation({ z: Z, b: this.biases[l], activation: f });
    }
    this.#rows = B;
    return ws.Z[this.numLayers - 1];
  }

  /**
   * The loss of the last forward pass and its gradients with respect to every weight and bias
   * (the reference for {@linkcode Mlp.trainStep}): from ∂l/∂O = (y − t)/B down,
   * dZ_{l−1} = (dZ_l·W_lᵀ) ⊙ f′ (h(1 − h) for the sigmoid), ∂l/∂W_l = H_{l−1}ᵀ·dZ_l,
   * ∂l/∂b_l = Σ_rows dZ_l.
   *
   * @param labels The class of each example: B integers from 0 to n_L − 1.
   * @param options The loss.
   * @returns The mean loss, the number classified right, and the gradients.
   */
  backward(
    labels: ArrayLike<number>,
    options: { loss?: LossName } = {},
  ): BatchResult & { grads: MlpGradients } {
    const grads = {
      dW: this.weights.map((W) => new Matrix(W.rows, W.cols)),
      db: this.biases.map((b) => new Matrix(1, b.cols)),
    };
    const { result, deltas } = this.#backPropagate("backward", labels, options.loss);
    for (const delta of deltas) {
      layerGradient(this.backend, delta, grads.dW[delta.layer], grads.db[delta.layer]);
    }
    return { ...result, grads };
  }

  /**
   * One training step: forward, loss, backward and the optimizer's update from each layer's delta;
   * equal, to float32 rounding, to forward + backward + {@linkcode Optimizer.step}.
   *
   * @param X The inputs: (B, n_0), or only their columns that are not all zero.
   * @param labels The classes: B integers from 0 to n_L − 1.
   * @param options The optimizer and the loss.
   * @returns The batch's mean loss (before the step) and how many it classified right.
   */
  trainStep(
    X: Matrix | CompactInputs,
    labels: ArrayLike<number>,
    options: TrainStepOptions,
  ): BatchResult {
    if (options.optimizer.params !== this) {
      throw new TypeError(
        "Cannot trainStep: the optimizer is bound to another network's parameters",
      );
    }
    this.forward(X);
    const { result, deltas } = this.#backPropagate("trainStep", labels, options.loss);
    options.optimizer.update(deltas);
    return result;
  }

  /**
   * The mean loss and the number classified right over a batch, without gradients.
   *
   * @param X The inputs: (B, n_0).
   * @param labels The classes: B integers.
   * @returns Mean loss and count of correct predictions.
   */
  evaluateBatch(X: Matrix, labels: ArrayLike<number>): BatchResult {
    const O = this.forward(X);
    this.#last("evaluateBatch", labels);
    const { lossSum, correct } = this.backend.softmaxCrossEntropy({ o: O, labels, dO: null });
    return { loss: lossSum / X.rows, correct };
  }

  /**
   * The predicted class of each example: the largest logit.
   *
   * @param X The inputs: (B, n_0).
   * @returns B class indices.
   */
  predict(X: Matrix): Int32Array {
    const O = this.forward(X), n = O.cols;
    return Int32Array.from({ length: X.rows }, (_, i) => rowArgmax(O.data, i * n, n));
  }

  /** The softmax probabilities of the last forward pass: (B, n_L), a new matrix. */
  probabilities(): Matrix {
    const { B, ws } = this.#last("probabilities", null);
    return softmaxRows(ws.Z[this.numLayers - 1], new Matrix(B, this.sizes[this.numLayers]));
  }

  /** The last forward's loss, ∂l/∂O, each dZ below it (from W_l before any update), the deltas. */
  #backPropagate(op: string, labels: ArrayLike<number>, loss: LossName | Loss = "crossEntropy") {
    const { B, ws } = this.#last(op, labels);
    const backend = this.backend, L = this.numLayers;
    const lossOfLogits = typeof loss === "function" ? loss : lossOf(loss);
    const { lossSum, correct } = lossOfLogits(backend, ws.Z[L - 1], labels, ws.dZ[L - 1]);
    for (let l = L - 1; l > 0; l--) {
      backend.gemm({ a: ws.dZ[l], b: this.weights[l], c: ws.dZ[l - 1], transB: true });
      const f = this.activations[l - 1];
      backend.activationBackward({ dh: ws.dZ[l - 1], h: ws.Z[l - 1], activation: f });
    }
    const { A: X, W: W0, columns } = this.#input; // the first layer's, compacted or not
    const deltas = this.weights.map((W, l): LayerDelta =>
      l === 0
        ? { layer: 0, W: W0, A: X, dZ: ws.dZ[0], columns }
        : { layer: l, W, A: ws.Z[l - 1], dZ: ws.dZ[l], columns: null }
    );
    return { result: { loss: lossSum / B, correct }, deltas };
  }

  #last(op: string, labels: ArrayLike<number> | null): { B: number; ws: Workspace } {
    if (this.#rows === 0) throw new TypeError(`Cannot ${op}: no forward pass has run yet`);
    const B = this.#rows, numClasses = this.sizes[this.numLayers];
    if (labels !== null) {
      if (labels.length !== B) {
        throw new RangeError(
          `Cannot ${op}: expected ${B} labels for a batch of ${B} but found ${labels.length}`,
        );
      }
      for (let i = 0; i < B; i++) {
        const c = labels[i];
        if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
          const range = `integers from 0 to ${numClasses - 1}`;
          throw new RangeError(
            `Cannot ${op}: expected labels to be ${range} but found ${c} at index ${i}`,
          );
        }
      }
    }
    return { B, ws: this.#workspace(B) };
  }

  #workspace(B: number): Workspace {
    let ws = this.#workspaces.get(B);
    if (ws === undefined) {
      const buffers = () => this.sizes.slice(1).map((n) => this.backend.matrix(B, n));
      ws = { Z: buffers(), dZ: buffers() };
      if (this.#workspaces.size > 4) this.#workspaces.clear();
      this.#workspaces.set(B, ws);
    }
    return ws;
  }
}

/** A copy of a matrix in a backend's memory. */
function copyTo(backend: Backend, m: Matrix): Matrix {
  const out = backend.matrix(m.rows, m.cols);
  out.data.set(m.data);
  return out;
}
