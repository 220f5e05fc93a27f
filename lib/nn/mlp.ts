/**
 * The multilayer perceptron of the assignment: hidden layers (sigmoid by default, or tanh or
 * ReLU), a softmax output and the mean cross-entropy loss, for any layer sizes (default
 * 784-300-10). One instance (Q5) is a batch of one: the same forward and backward code serves
 * both (Q6).
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
import { activation, type ActivationName } from "../tensor/activation.ts";
import { type InitName, initWeights } from "./init.ts";
import { LOSS_NAMES, type LossName, SEED_REPORT_CLIP } from "./loss.ts";
import type { Optimizer } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";
import { OptionError } from "../check/option_rules.ts";

/** The default layer sizes: MNIST's 784 pixels, 300 hidden units, 10 classes. */
export const DEFAULT_SIZES: readonly number[] = [784, 300, 10];

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
  /**
   * Skip the input columns that are zero in every example of a batch in the first layer's
   * products (about 39% of them in a batch of 50 MNIST images). The dense path is the reference.
   * @default {true}
   */
  compact?: boolean;
}

/** The gradients of the mean loss with respect to every weight and bias. */
export interface MlpGradients {
  /** ∂l/∂W_l: (n_l, n_{l+1}) each. */
  dW: Matrix[];
  /** ∂l/∂b_l: (1, n_{l+1}) each. */
  db: Matrix[];
}

/** The loss of a batch and how many of its examples the network classifies right. */
export interface BatchResult {
  /** The mean loss over the batch (the cross-entropy unless another loss was asked for). */
  loss: number;
  /** The number of examples whose largest logit is their label. */
  correct: number;
}

/**
 * The gradient of the loss with respect to the logits, computed elsewhere: given O (B, n_L) it
 * writes ∂l/∂O into dO (B, n_L) and returns the batch's summed loss and correct count.
 */
export type OutputGradient = (
  O: Matrix,
  dO: Matrix,
  B: number,
) => { lossSum: number; correct: number };

/**
 * A batch that holds only the input columns not zero in every example (as a compacting
 * BatchLoader builds it from the image bytes): what the first layer's products need, without
 * the zeros.
 */
export interface CompactInputs {
  /** The values at those columns: (B, k). */
  values: Matrix;
  /** The k columns, strictly increasing, each from 0 to n_0 − 1. */
  columns: Int32Array;
}

/** Buffers for one batch size, reused from batch to batch. */
interface Workspace {
  /** Z[l]: (B, n_{l+1}); hidden activations after σ, logits for the last layer. */
  Z: Matrix[];
  /** dZ[l]: (B, n_{l+1}); ∂l/∂ of layer l's pre-activation. */
  dZ: Matrix[];
  /** db scratch for each layer: (1, n_{l+1}). */
  db: Matrix[];
  /** Compacted inputs: up to (B, n_0). */
  Xc: Float32Array;
}

/**
 * A multilayer perceptron with hidden layers of any activation (sigmoid by default) and a softmax
 * output, trained on the mean cross-entropy.
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
  #X: Matrix | CompactInputs | undefined; // the last forward's input
  #rows = 0; // its batch size
  #columns: Int32Array | null = null; // its nonzero input columns, when compacted
  #Xc: Matrix | null = null; // its values at those columns
  #W0c = new Matrix(0, 0); // W_0's rows for those columns
  #V0c = new Matrix(0, 0); // the same rows of W_0's velocity, or of ∂l/∂W_0 in backward
  #grads: MlpGradients | undefined; // gradient buffers of optimizers other than SGD

  /**
   * Wraps given weights and biases (not copied).
   *
   * @param params W_l (n_l, n_{l+1}) and b_l (1, n_{l+1}) for every layer.
   * @param options Hidden activations (one for all, or one per hidden layer), backend, compaction.
   */
  constructor(
    params: { weights: Matrix[]; biases: Matrix[] },
    options: {
      activations?: ActivationName | readonly ActivationName[];
      backend?: Backend;
      compact?: boolean;
    } = {},
  ) {
    const { weights, biases } = params;
    if (weights.length < 1 || weights.length !== biases.length) {
      throw new RangeError(
        `Expected as many bias rows as weight matrices (at least one) but found ${weights.length} weights and ${biases.length} biases`,
      );
    }
    const sizes = [weights[0].rows];
    weights.forEach((W, l) => {
      if (W.rows !== sizes[l]) {
        throw new RangeError(
          `Expected W_${l} to have ${
            sizes[l]
          } rows to follow the previous layer but found ${W.rows}`,
        );
      }
      if (biases[l].rows !== 1 || biases[l].cols !== W.cols) {
        throw new RangeError(
          `Expected b_${l} to be (1, ${W.cols}) but found (${biases[l].rows}, ${biases[l].cols})`,
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
    if (this.activations.length !== weights.length - 1) {
      throw new RangeError(
        `Expected an activation for each of the ${
          weights.length - 1
        } hidden layers but found ${this.activations.length}`,
      );
    }
    this.activations.forEach(activation); // a wrong name fails here
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
    const { sizes = DEFAULT_SIZES, init = "fanIn" } = options;
    if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new RangeError(
        `Expected sizes to be at least two integers of at least 1 but found [${sizes.join(", ")}]`,
      );
    }
    const random = toRandom(options.random);
    const { activations, backend = defaultBackend(), compact } = options;
    const weights: Matrix[] = [], biases: Matrix[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const W = backend.matrix(sizes[l], sizes[l + 1]);
      W.data.set(initWeights([sizes[l], sizes[l + 1]], { init, random }).data);
      weights.push(W);
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
    const backend = options.backend ?? this.backend;
    const copy = (m: Matrix) => {
      const out = backend.matrix(m.rows, m.cols);
      out.data.set(m.data);
      return out;
    };
    return new Mlp(
      { weights: this.weights.map(copy), biases: this.biases.map(copy) },
      { activations: this.activations, backend, compact: this.compact },
    );
  }

  /**
   * The forward pass: X (B, n_0) to the logits (B, n_L). The activations are kept for
   * {@linkcode Mlp.backward} and {@linkcode Mlp.trainStep}; the returned matrix is a buffer
   * reused by the next forward pass of the same batch size.
   *
   * @param X The inputs: (B, n_0), or only their columns that are not all zero.
   * @returns The logits O: (B, n_L).
   */
  forward(X: Matrix | CompactInputs): Matrix {
    const dense = X instanceof Matrix ? X : null, compacted = X instanceof Matrix ? null : X;
    if (compacted !== null) this.#checkCompact(compacted);
    else if (dense!.cols !== this.sizes[0]) {
      throw new RangeError(
        `Cannot forward: X is (${dense!.rows}, ${dense!.cols}) but the network takes ${
          this.sizes[0]
        } inputs`,
      );
    }
    const B = compacted?.values.rows ?? dense!.rows;
    const ws = this.#workspace(B), backend = this.backend;
    this.#X = X;
    this.#rows = B;
    this.#columns = null;
    this.#Xc = null;
    for (let l = 0; l < this.numLayers; l++) {
      const Z = ws.Z[l];
      if (l === 0) {
        const columns = compacted?.columns ??
          (this.compact ? backend.nonzeroColumns({ x: dense! }) : null);
        if (columns !== null && (compacted !== null || columns.length < 0.9 * dense!.cols)) {
          // X·W_0 over the columns that are not all zero: Xc (B, k) · W_0c (k, n_1)
          const k = columns.length;
          let Xc = compacted?.values;
          if (Xc === undefined) {
            Xc = new Matrix(B, k, ws.Xc.subarray(0, B * k));
            backend.gatherColumns({ x: dense!, columns, out: Xc });
          }
          const W0c = this.#rowsOf("W0c", k);
          backend.gatherRows({ x: this.weights[0], rows: columns, out: W0c });
          backend.gemm({ a: Xc, b: W0c, c: Z });
          this.#columns = columns;
          this.#Xc = Xc;
        } else {
          backend.gemm({ a: dense!, b: this.weights[0], c: Z });
        }
      } else {
        backend.gemm({ a: ws.Z[l - 1], b: this.weights[l], c: Z });
      }
      const f = l + 1 < this.numLayers ? this.activations[l] : "none";
      backend.biasActivation({ z: Z, b: this.biases[l], activation: f });
    }
    return ws.Z[this.numLayers - 1];
  }

  /**
   * The loss of the last forward pass and its gradients with respect to every weight and bias,
   * by the plain dense route (the reference for {@linkcode Mlp.trainStep}): from
   * ∂l/∂O = (y − t)/B down, ∂l/∂W_l = H_{l−1}ᵀ·dZ_l, ∂l/∂b_l = Σ_rows dZ_l,
   * dZ_{l−1} = (dZ_l·W_lᵀ) ⊙ f′ (h(1 − h) for the sigmoid).
   *
   * @param labels The class of each example: B integers from 0 to n_L − 1.
   * @param options Where to write the gradients (new matrices when not given), and the loss.
   * @returns The mean loss, the number classified right, and the gradients.
   */
  backward(
    labels: ArrayLike<number>,
    options: { grads?: MlpGradients; loss?: LossName } = {},
  ): BatchResult & { grads: MlpGradients } {
    const { B, ws } = this.#last("backward", labels);
    const backend = this.backend, L = this.numLayers, X = this.#X!;
    const grads = options.grads ?? {
      dW: this.weights.map((W) => new Matrix(W.rows, W.cols)),
      db: this.biases.map((b) => new Matrix(1, b.cols)),
    };
    const { lossSum, correct } = this.#outputGradient(ws, labels, options.loss);
    for (let l = L - 1; l >= 0; l--) {
      if (l === 0 && !(X instanceof Matrix)) {
        // only the rows of lit columns: Xcᵀ·dZ_0 (k, n_1), scattered into zeros
        const dW0c = this.#rowsOf("V0c", X.columns.length);
        backend.gemm({ a: X.values, b: ws.dZ[0], c: dW0c, transA: true });
        grads.dW[0].data.fill(0);
        backend.scatterRows({ x: dW0c, rows: X.columns, out: grads.dW[0] });
      } else {
        const A = l === 0 ? X as Matrix : ws.Z[l - 1]; // this layer's input: (B, n_l)
        backend.gemm({ a: A, b: ws.dZ[l], c: grads.dW[l], transA: true });
      }
      backend.columnSums({ x: ws.dZ[l], out: grads.db[l] });
      if (l > 0) {
        backend.gemm({ a: ws.dZ[l], b: this.weights[l], c: ws.dZ[l - 1], transB: true });
        const f = this.activations[l - 1];
        backend.activationBackward({ dh: ws.dZ[l - 1], h: ws.Z[l - 1], activation: f });
      }
    }
    return { loss: lossSum / B, correct, grads };
  }

  /**
   * One step of an optimizer with given gradients (the reference update, and the route of
   * every optimizer but SGD in {@linkcode Mlp.trainStep}). Advances the optimizer's step count.
   *
   * @param grads The gradients, as from {@linkcode Mlp.backward}.
   * @param optimizer The optimizer.
   */
  applyGradients(grads: MlpGradients, optimizer: Optimizer): void {
    optimizer.step([...this.weights, ...this.biases], [...grads.dW, ...grads.db], this.backend);
  }

  /**
   * One training step on a batch: forward, loss, backward and the optimizer's update. For SGD it
   * is fused for speed, each weight gradient folded into the update's matrix product
   * (W ← W − lr·Aᵀ·dZ in one gemm) and, when compacting, only the first layer's rows for nonzero
   * input columns touched; equal, to float32 rounding, to {@linkcode Mlp.forward} +
   * {@linkcode Mlp.backward} + {@linkcode Mlp.applyGradients}, which is the route of any other
   * optimizer.
   *
   * @param X The inputs: (B, n_0), or only their columns that are not all zero.
   * @param labels The classes: B integers from 0 to n_L − 1.
   * @param optimizer The optimizer.
   * @param loss The loss to train on.
   * @param outputGradient Replaces the loss: given the logits O (B, n_L), writes ∂l/∂O into dO
   *   and returns the batch's summed loss and correct count (SGD only; the two-core trainer's
   *   halves meet here).
   * @returns The batch's mean loss (before the step) and how many it classified right.
   */
  trainStep(
    X: Matrix | CompactInputs,
    labels: ArrayLike<number>,
    optimizer: Optimizer,
    loss: LossName = "crossEntropy",
    outputGradient?: OutputGradient,
  ): BatchResult {
    this.forward(X);
    if (!(optimizer instanceof Sgd)) {
      if (outputGradient !== undefined) {
        throw new TypeError("Cannot trainStep: an outputGradient needs the SGD optimizer");
      }
      this.#grads ??= {
        dW: this.weights.map((W) => this.backend.matrix(W.rows, W.cols)),
        db: this.biases.map((b) => this.backend.matrix(1, b.cols)),
      };
      const result = this.backward(labels, { grads: this.#grads, loss });
      this.applyGradients(this.#grads, optimizer);
      return { loss: result.loss, correct: result.correct };
    }
    const sgd = optimizer;
    const { B, ws } = this.#last("trainStep", labels);
    const backend = this.backend, L = this.numLayers;
    const lr = sgd.learningRate(), mu = sgd.momentum;
    const { lossSum, correct } = outputGradient === undefined
      ? this.#outputGradient(ws, labels, loss)
      : outputGradient(ws.Z[L - 1], ws.dZ[L - 1], B);
    for (let l = L - 1; l >= 0; l--) {
      const dZ = ws.dZ[l];
      if (l > 0) {
        // the gradient flowing down uses W_l before its update
        backend.gemm({ a: dZ, b: this.weights[l], c: ws.dZ[l - 1], transB: true });
      }
      const columns = l === 0 ? this.#columns : null;
      let A: Matrix, W: Matrix;
      if (columns !== null) {
        A = this.#Xc!;
        W = this.#rowsOf("W0c", columns.length);
      } else {
        A = l === 0 ? this.#X as Matrix : ws.Z[l - 1];
        W = this.weights[l];
      }
      if (mu === 0) {
        backend.gemm({ a: A, b: dZ, c: W, transA: true, alpha: -lr, beta: 1 }); // W ← W − lr·Aᵀ·dZ
        if (columns !== null) backend.scatterRows({ x: W, rows: columns, out: this.weights[0] });
      } else {
        const V = sgd.velocity(this.weights[l], backend);
        if (columns !== null) {
          // v ← μ·v everywhere, then v[rows] += Aᵀ·dZ; p ← p − lr·v everywhere
          backend.axpby({ alpha: 0, x: V, beta: mu, y: V });
          const Vc = this.#rowsOf("V0c", columns.length);
          backend.gatherRows({ x: V, rows: columns, out: Vc });
          backend.gemm({ a: A, b: dZ, c: Vc, transA: true, alpha: 1, beta: 1 });
          backend.scatterRows({ x: Vc, rows: columns, out: V });
        } else {
          backend.gemm({ a: A, b: dZ, c: V, transA: true, alpha: 1, beta: mu }); // v ← μv + Aᵀ·dZ
        }
        backend.axpby({ alpha: -lr, x: V, beta: 1, y: this.weights[l] });
      }
      const db = ws.db[l], b = this.biases[l];
      backend.columnSums({ x: dZ, out: db });
      if (mu === 0) {
        backend.axpby({ alpha: -lr, x: db, beta: 1, y: b });
      } else {
        const vb = sgd.velocity(b, backend);
        backend.axpby({ alpha: 1, x: db, beta: mu, y: vb });
        backend.axpby({ alpha: -lr, x: vb, beta: 1, y: b });
      }
      if (l > 0) {
        const f = this.activations[l - 1];
        backend.activationBackward({ dh: ws.dZ[l - 1], h: ws.Z[l - 1], activation: f });
      }
    }
    sgd.steps++;
    return { loss: lossSum / B, correct };
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
    const O = this.forward(X), n = O.cols, out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let j = 1; j < n; j++) if (O.data[i * n + j] > O.data[i * n + best]) best = j;
      out[i] = best;
    }
    return out;
  }

  /** The softmax probabilities of the last forward pass: (B, n_L), a new matrix. */
  probabilities(): Matrix {
    const { B, ws } = this.#last("probabilities", null);
    const O = ws.Z[this.numLayers - 1], n = O.cols, P = new Matrix(B, n);
    for (let i = 0; i < B; i++) {
      let m = -Infinity, s = 0;
      for (let j = 0; j < n; j++) m = Math.max(m, O.data[i * n + j]);
      for (let j = 0; j < n; j++) s += P.data[i * n + j] = Math.exp(O.data[i * n + j] - m);
      for (let j = 0; j < n; j++) P.data[i * n + j] /= s;
    }
    return P;
  }

  /** Loss of the last forward pass, and ∂l/∂O (for the cross-entropy (y − t)/B) written into dZ of the last layer. */
  #outputGradient(
    ws: Workspace,
    labels: ArrayLike<number>,
    loss: LossName = "crossEntropy",
  ) {
    const L = this.numLayers, o = ws.Z[L - 1], dO = ws.dZ[L - 1];
    switch (loss) {
      case "crossEntropy":
        return this.backend.softmaxCrossEntropy({ o, labels, dO });
      case "seedReport":
        return this.backend.softmaxCrossEntropy({ o, labels, dO, clip: SEED_REPORT_CLIP });
      default:
        throw new OptionError("loss", `one of ${LOSS_NAMES.join(", ")}`, loss);
    }
  }

  /** k rows' worth, (k, n_1), of the W0c or V0c scratch buffer (made in the backend's memory). */
  #rowsOf(buffer: "W0c" | "V0c", k: number): Matrix {
    const n1 = this.sizes[1];
    if (buffer === "W0c" && this.#W0c.data.length < k * n1) {
      this.#W0c = this.backend.matrix(this.sizes[0], n1);
    } else if (buffer === "V0c" && this.#V0c.data.length < k * n1) {
      this.#V0c = this.backend.matrix(this.sizes[0], n1);
    }
    const data = buffer === "W0c" ? this.#W0c.data : this.#V0c.data;
    return new Matrix(k, n1, data.subarray(0, k * n1));
  }

  #checkCompact({ values, columns }: CompactInputs): void {
    const n0 = this.sizes[0];
    if (values.cols !== columns.length) {
      throw new RangeError(
        `Cannot forward: the compacted values are (${values.rows}, ${values.cols}) but there are ${columns.length} columns`,
      );
    }
    for (let c = 0; c < columns.length; c++) {
      if (!(columns[c] >= 0 && columns[c] < n0 && (c === 0 || columns[c] > columns[c - 1]))) {
        throw new RangeError(
          `Cannot forward: expected the columns to increase strictly from 0 to ${
            n0 - 1
          } but found ${columns[c]} at index ${c}`,
        );
      }
    }
  }

  #last(op: string, labels: ArrayLike<number> | null): { B: number; ws: Workspace } {
    if (this.#X === undefined) {
      throw new TypeError(`Cannot ${op}: no forward pass has run yet`);
    }
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
          throw new RangeError(
            `Cannot ${op}: expected labels to be integers from 0 to ${
              numClasses - 1
            } but found ${c} at index ${i}`,
          );
        }
      }
    }
    return { B, ws: this.#workspace(B) };
  }

  #workspace(B: number): Workspace {
    let ws = this.#workspaces.get(B);
    if (ws === undefined) {
      const layers = this.sizes.slice(1);
      const backend = this.backend;
      ws = {
        Z: layers.map((n) => backend.matrix(B, n)),
        dZ: layers.map((n) => backend.matrix(B, n)),
        db: layers.map((n) => backend.matrix(1, n)),
        Xc: backend.matrix(1, B * this.sizes[0]).data,
      };
      if (this.#workspaces.size > 4) this.#workspaces.clear();
      this.#workspaces.set(B, ws);
    }
    return ws;
  }
}
