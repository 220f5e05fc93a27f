/**
 * The training path of the scalar network: the same forward, backward and SGD step as
 * `ScalarNetwork` (network.ts), written once more over preallocated Float64Arrays so that one
 * per-instance step allocates nothing. Same explicit loops, Math only; `ScalarNetwork` is the
 * reference, and tests/scalar/train_test.ts holds this path against it.
 *
 * Legend: I = numInputs, H = numHiddens, O = numOutputs. W is (I, H) and V is (H, O), both
 * flattened row by row: W[a][j] is W[a * H + j], V[j][m] is V[j * O + m].
 *
 * @module
 */

import { ScalarNetwork } from "./network.ts";

/** The loss and accuracy of a network over a data set. */
export interface FlatEvaluation {
  /** The mean cross-entropy loss. */
  loss: number;
  /** The fraction of points whose most probable class is the label. */
  accuracy: number;
}

/** What {@linkcode FlatScalarNetwork.prototype.steps} trains on. */
export interface FlatStepsPlan {
  /** The inputs: (n, I), flat. */
  X: Float64Array;
  /** The classes: (n), integers from 0 to O − 1 (not checked here). */
  y: ArrayLike<number>;
  /** The order to visit rows in: (n) or longer. */
  order: Uint32Array;
  /** The first position in order to train on. */
  start: number;
  /** One past the last position in order to train on. */
  end: number;
  /** The learning rate. */
  lr: number;
  /** Where the losses go: losses[lossOffset + i] for position i. */
  losses: Float64Array;
  /** The offset of position 0 in losses. */
  lossOffset: number;
}

/** A {@linkcode ScalarNetwork} in flat Float64Arrays, with its work buffers. */
export class FlatScalarNetwork {
  /** Input → hidden weights: (I, H), flat. */
  readonly W: Float64Array;
  /** Hidden biases: (H). */
  readonly b: Float64Array;
  /** Hidden → output weights: (H, O), flat. */
  readonly V: Float64Array;
  /** Output biases: (O). */
  readonly c: Float64Array;
  /** The number of inputs, I. */
  readonly numInputs: number;
  /** The number of hidden units, H. */
  readonly numHiddens: number;
  /** The number of outputs, O. */
  readonly numOutputs: number;
  // work buffers of one step: h is (H), o (then y, then ∂l/∂o) is (O)
  readonly #h: Float64Array;
  readonly #o: Float64Array;

  /**
   * A flat copy of a network's weights and biases.
   *
   * @param net The network to copy.
   */
  constructor(net: ScalarNetwork) {
    this.numInputs = net.numInputs;
    this.numHiddens = net.numHiddens;
    this.numOutputs = net.numOutputs;
    this.W = Float64Array.from(net.W.flat());
    this.b = Float64Array.from(net.b);
    this.V = Float64Array.from(net.V.flat());
    this.c = Float64Array.from(net.c);
    this.#h = new Float64Array(this.numHiddens);
    this.#o = new Float64Array(this.numOutputs);
  }

  /**
   * The network as a {@linkcode ScalarNetwork} (arrays of numbers, copied).
   *
   * @returns A new ScalarNetwork with these weights and biases.
   */
  toScalarNetwork(): ScalarNetwork {
    const I = this.numInputs, H = this.numHiddens, O = this.numOutputs;
    const rows = (m: Float64Array, r: number, c: number) =>
      Array.from({ length: r }, (_, i) => Array.from(m.subarray(i * c, (i + 1) * c)));
    return new ScalarNetwork({
      W: rows(this.W, I, H),
      b: Array.from(this.b),
      V: rows(this.V, H, O),
      c: Array.from(this.c),
    });
  }

  /**
   * The forward pass of row `row` of X up to the logits, left in the o buffer; h is kept.
   * X is (n, I).
   */
  #forward(X: Float64Array, row: number): void {
    const I = this.numInputs, H = this.numHiddens, O = this.numOutputs;
    const W = this.W, b = this.b, V = this.V, c = this.c, h = this.#h, o = this.#o;
    const offset = row * I;
    // k = x W + b, h = σ(k)
    for (let j = 0; j < H; j++) {
      let k = b[j];
      for (let a = 0; a < I; a++) k += X[offset + a] * W[a * H + j];
      h[j] = 1 / (1 + Math.exp(-k));
    }
    // o = h V + c
    for (let m = 0; m < O; m++) {
      let s = c[m];
      for (let j = 0; j < H; j++) s += h[j] * V[j * O + m];
      o[m] = s;
    }
  }

  /**
   * Per-instance SGD steps over rows order[start] … order[end − 1], in that order, each forward
   * to the loss, backward to every weight and bias, then p ← p − lr ∂l/∂p; the loss of step i
   * (before it) goes to losses[lossOffset + i]. The hot loop of training: every array is held in
   * a local and nothing is allocated.
   *
   * @param plan The data, the order and range of rows, the learning rate and the loss buffer.
   */
  steps(plan: FlatStepsPlan): void {
    // X is (n, I); W is (I, H); b, h are (H); V is (H, O); c, o are (O)
    const { X, y, order, start, end, lr, losses, lossOffset } = plan;
    const I = this.numInputs, H = this.numHiddens, O = this.numOutputs;
    const W = this.W, b = this.b, V = this.V, c = this.c;
    const h = this.#h, o = this.#o;
    for (let i = start; i < end; i++) {
      const row = order[i];
      const target = y[row];
      const offset = row * I;
      // forward to the logits o (h kept), then y = softmax(o) in place and
      // l = log Σ e^(o − max) − (o_target − max)
      this.#forward(X, row);
      let top = 0;
      for (let m = 1; m < O; m++) if (o[m] > o[top]) top = m;
      const max = o[top];
      const logitTarget = o[target];
      let sum = 0;
      for (let m = 0; m < O; m++) {
        const e = m === top ? 1 : Math.exp(o[m] - max); // e^0 = 1 needs no exp
        o[m] = e;
        sum += e;
      }
      losses[lossOffset + i] = Math.log(sum) - (logitTarget - max);
      // backward: ∂l/∂o = y − t (in o)
      const inverse = 1 / sum;
      for (let m = 0; m < O; m++) o[m] *= inverse;
      o[target] -= 1;
      // c −= lr ∂l/∂o
      for (let m = 0; m < O; m++) c[m] -= lr * o[m];
      // one hidden unit at a time: ∂l/∂h_j = Σ_m V_jm ∂l/∂o_m (with V_jm before its step), then
      // V_jm −= lr h_j ∂l/∂o_m; ∂l/∂k_j = ∂l/∂h_j h_j (1 − h_j), then W_aj −= lr x_a ∂l/∂k_j and
      // b_j −= lr ∂l/∂k_j. Unit j's gradient reads only unit j's weights, so each can step at once
      for (let j = 0; j < H; j++) {
        const hj = h[j];
        let dh = 0;
        for (let m = 0; m < O; m++) {
          const v = V[j * O + m];
          dh += v * o[m];
          V[j * O + m] = v - lr * (hj * o[m]);
        }
        const dk = dh * hj * (1 - hj);
        for (let a = 0; a < I; a++) W[a * H + j] -= lr * (X[offset + a] * dk);
        b[j] -= lr * dk;
      }
    }
  }

  /**
   * The mean loss and the accuracy over a data set, without changing the network.
   *
   * @param X The inputs: (n, I), flat.
   * @param y The labels: (n).
   * @returns The mean loss and the accuracy.
   */
  evaluate(X: Float64Array, y: ArrayLike<number>): FlatEvaluation {
    // X is (n, I), y is (n); o is (O)
    const n = y.length, O = this.numOutputs, o = this.#o;
    let total = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      this.#forward(X, i);
      let top = 0;
      for (let m = 1; m < O; m++) if (o[m] > o[top]) top = m;
      if (top === y[i]) correct++;
      // l = log Σ e^(o − max) − (o_target − max), with e^(o_top − max) = 1
      let sum = 1;
      for (let m = 0; m < O; m++) if (m !== top) sum += Math.exp(o[m] - o[top]);
      total += Math.log(sum) - (o[y[i]] - o[top]);
    }
    return { loss: total / n, accuracy: correct / n };
  }
}
