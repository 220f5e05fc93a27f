/**
 * `ScalarNetwork`'s forward, backward and SGD step once more, over preallocated Float64Arrays so
 * that a step allocates nothing; tests/scalar/train_test.ts holds it against `ScalarNetwork`.
 *
 * Legend: I = numInputs, H = numHiddens (b's length), O = numOutputs (c's length). W is (I, H)
 * and V is (H, O), both flattened row by row: W[a][j] is W[a * H + j], V[j][m] is V[j * O + m].
 *
 * @module
 */

import { ScalarNetwork } from "./network.ts";
import { scalarSigmoid } from "./sigmoid.ts";
import { portableExp, portableLog } from "../data/portable_math.ts";

/** What {@linkcode FlatScalarNetwork.prototype.steps} trains on. */
export interface FlatStepsPlan {
  /** The inputs: (n, I), flat. */
  X: Float64Array;
  /** The classes: (n), integers from 0 to O − 1 (not checked here). */
  y: ArrayLike<number>;
  /** The rows to train on, in order: one step each. */
  order: Uint32Array;
  /** The learning rate. */
  lr: number;
  /** Where the losses go: losses[i] for the step on row order[i]. */
  losses: Float64Array;
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
  // work buffers of one step: h is (H), o (then y, then ∂l/∂o) is (O)
  readonly #h: Float64Array;
  readonly #o: Float64Array;

  /** A flat copy of `net`'s weights and biases. */
  constructor(net: ScalarNetwork) {
    this.W = Float64Array.from(net.W.flat());
    this.b = Float64Array.from(net.b);
    this.V = Float64Array.from(net.V.flat());
    this.c = Float64Array.from(net.c);
    this.#h = new Float64Array(net.numHiddens);
    this.#o = new Float64Array(net.numOutputs);
  }

  /** The network as a new {@linkcode ScalarNetwork} (arrays of numbers, copied). */
  toScalarNetwork(): ScalarNetwork {
    const { W, b, V, c } = this;
    const rows = (m: Float64Array, cols: number) =>
      Array.from(
        { length: m.length / cols },
        (_, i) => Array.from(m.subarray(i * cols, (i + 1) * cols)),
      );
    // Array.from, not spreads: V8 keeps the numbers unboxed (see Matrix.toArray)
    return new ScalarNetwork({
      W: rows(W, b.length),
      b: Array.from(b),
      V: rows(V, c.length),
      c: Array.from(c),
    });
  }

  /** The forward pass of row `row` of X (n, I) to the logits, left in the o buffer; h is kept. */
  #forward(X: Float64Array, row: number): void {
    const H = this.b.length, O = this.c.length, I = this.W.length / H;
    const W = this.W, b = this.b, V = this.V, c = this.c, h = this.#h, o = this.#o;
    const offset = row * I;
    // k = x W + b, h = σ(k)
    for (let j = 0; j < H; j++) {
      let k = b[j];
      for (let a = 0; a < I; a++) k += X[offset + a] * W[a * H + j];
      h[j] = scalarSigmoid(k);
    }
    // o = h V + c
    for (let m = 0; m < O; m++) {
      let s = c[m];
      for (let j = 0; j < H; j++) s += h[j] * V[j * O + m];
      o[m] = s;
    }
  }

  /**
   * Per-instance SGD steps over rows order[0], order[1], …: forward to the loss (into losses[i],
   * before the step), backward, p ← p − lr ∂l/∂p. The hot loop of training: arrays in locals.
   */
  steps(plan: FlatStepsPlan): void {
    // X is (n, I); W is (I, H); b, h are (H); V is (H, O); c, o are (O)
    const { X, y, order, lr, losses } = plan;
    const W = this.W, b = this.b, V = this.V, c = this.c, h = this.#h, o = this.#o;
    const H = b.length, O = c.length, I = W.length / H;
    for (let i = 0; i < order.length; i++) {
      const row = order[i];
      const target = y[row];
      const offset = row * I;
      // forward to o (h kept), y = softmax(o) in place, l = log Σ e^(o − max) − (o_target − max)
      this.#forward(X, row);
      let top = 0;
      for (let m = 1; m < O; m++) if (o[m] > o[top]) top = m;
      const max = o[top];
      const logitTarget = o[target];
      let sum = 0;
      for (let m = 0; m < O; m++) {
        const e = m === top ? 1 : portableExp(o[m] - max); // e^0 = 1 needs no exp
        o[m] = e;
        sum += e;
      }
      losses[i] = portableLog(sum) - (logitTarget - max);
      // backward: ∂l/∂o = y − t (in o); y = e / sum as in scalarSoftmaxForward, bit for bit
      for (let m = 0; m < O; m++) o[m] /= sum;
      o[target] -= 1;
      for (let m = 0; m < O; m++) c[m] -= lr * o[m];
      // one hidden unit at a time: ∂l/∂h_j = Σ_m V_jm ∂l/∂o_m (V_jm before its step), ∂l/∂k_j =
      // ∂l/∂h_j h_j (1 − h_j); unit j's gradient reads only unit j's weights, so they step at once
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

  /** The mean loss and accuracy (top class = label) over X (n, I) and y (n); weights unchanged. */
  evaluate(X: Float64Array, y: ArrayLike<number>): { loss: number; accuracy: number } {
    // X is (n, I), y is (n); o is (O)
    const n = y.length, O = this.c.length, o = this.#o;
    let total = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      this.#forward(X, i);
      let top = 0;
      for (let m = 1; m < O; m++) if (o[m] > o[top]) top = m;
      if (top === y[i]) correct++;
      // l = log Σ e^(o − max) − (o_target − max), with e^(o_top − max) = 1
      let sum = 1;
      for (let m = 0; m < O; m++) if (m !== top) sum += portableExp(o[m] - o[top]);
      total += portableLog(sum) - (o[y[i]] - o[top]);
    }
    return { loss: total / n, accuracy: correct / n };
  }
}
