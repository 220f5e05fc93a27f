/**
 * The scalar network of Q3, forward to the loss and backward to every weight, module by module:
 *
 *     x (numInputs) → linear W, b → k → sigmoid → h (numHiddens) → linear V, c → o
 *       → softmax → y (numOutputs) → cross-entropy on the target class → l
 *
 * @module
 */

import { type RandomSource, toRandom } from "../data/random.ts";
import { scalarLinearBackward, scalarLinearForward } from "./linear.ts";
import { scalarSigmoidBackward, scalarSigmoidForward } from "./sigmoid.ts";
import { scalarSoftmaxBackward, scalarSoftmaxForward } from "./softmax.ts";
import {
  scalarCrossEntropyBackward,
  scalarSoftmaxCrossEntropyBackward,
  scalarSoftmaxCrossEntropyForward,
} from "./softmax_cross_entropy.ts";
import { checkInteger, checkPositive } from "../options/option_rules.ts";

/** The weights and biases of a {@linkcode ScalarNetwork}. */
export type ScalarNetworkParams = Pick<ScalarNetwork, "W" | "b" | "V" | "c">;

/** The layer sizes of a {@linkcode ScalarNetwork}. */
export type ScalarNetworkSizes = Pick<ScalarNetwork, "numInputs" | "numHiddens" | "numOutputs">;

/** Options of {@linkcode ScalarNetwork.init}. */
export interface ScalarNetworkInitOptions {
  /** The standard deviation of every weight. @default {1 / Math.sqrt(fanIn)} in each layer */
  std?: number;
}

/** Every value of one forward pass, named as in the derivation. */
export interface ScalarForward {
  /** The input: (numInputs). */
  x: number[];
  /** The target class, an integer from 0 to numOutputs − 1. */
  target: number;
  /** Hidden pre-activations k = x W + b: (numHiddens). */
  k: number[];
  /** Hidden activations h = σ(k): (numHiddens). */
  h: number[];
  /** Logits o = h V + c: (numOutputs). */
  o: number[];
  /** Probabilities y = softmax(o): (numOutputs). */
  y: number[];
  /** The loss l = −log y_target, computed from the logits with log-sum-exp. */
  loss: number;
}

/** The gradient of the loss with respect to every weight and bias. */
export interface ScalarGradients {
  /** ∂l/∂W: (numInputs, numHiddens). */
  dW: number[][];
  /** ∂l/∂b: (numHiddens). */
  db: number[];
  /** ∂l/∂V: (numHiddens, numOutputs). */
  dV: number[][];
  /** ∂l/∂c: (numOutputs). */
  dc: number[];
}

/** Every gradient of one backward pass: the parameters' and the intermediate values'. */
export interface ScalarBackward extends ScalarGradients {
  /** ∂l/∂y: −1/y_target at the target, 0 elsewhere (−Infinity at the target if y underflowed). */
  dy: number[];
  /** ∂l/∂o = y − t: (numOutputs). */
  do: number[];
  /** ∂l/∂h: (numHiddens). */
  dh: number[];
  /** ∂l/∂k: (numHiddens). */
  dk: number[];
}

/** Options of {@linkcode ScalarNetwork.prototype.backward}. */
export interface ScalarBackwardOptions {
  /**
   * How ∂l/∂o is computed: as y − t (`"fused"`), or as ∂l/∂y sent back through the softmax
   * Jacobian (`"modules"`, NaN once y_target underflows). @default {"fused"}
   */
  path?: "fused" | "modules";
}

/**
 * The network of the diagram above, of any input, hidden and output sizes.
 *
 * @example The Q3 network: loss ln 2, zero first-layer gradients
 * ```ts
 * import { ScalarNetwork } from "./network.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * const net = new ScalarNetwork({
 *   W: [[1, 1, 1], [-1, -1, -1]],
 *   b: [0, 0, 0],
 *   V: [[1, 1], [-1, -1], [-1, -1]],
 *   c: [0, 0],
 * });
 * const pass = net.forward([1, -1], 0);
 * assertAlmostEquals(pass.loss, Math.LN2, 1e-15);
 * const grads = net.backward(pass);
 * assertEquals(grads.dW, [[0, 0, 0], [0, 0, 0]]);
 * assertEquals(grads.dc, [-0.5, 0.5]);
 * ```
 */
export class ScalarNetwork {
  /** Input → hidden weights, W[i][j] from input i to hidden unit j: (numInputs, numHiddens). */
  W: number[][];
  /** Hidden biases: (numHiddens). */
  b: number[];
  /** Hidden → output weights, V[j][m] from hidden unit j to output m: (numHiddens, numOutputs). */
  V: number[][];
  /** Output biases: (numOutputs). */
  c: number[];

  /**
   * A network with the given weights and biases (copied).
   *
   * @param params W, b, V and c, with the shapes of the fields above.
   */
  constructor(params: ScalarNetworkParams) {
    const { W, b, V, c } = params;
    checkMatrix("W", W, W.length, b.length);
    checkMatrix("V", V, b.length, c.length);
    this.W = W.map((row) => row.slice());
    this.b = b.slice();
    this.V = V.map((row) => row.slice());
    this.c = c.slice();
  }

  /**
   * A network with weights drawn from a zero-mean normal and biases at 0.
   *
   * @param sizes numInputs, numHiddens and numOutputs.
   * @param random A seed or a {@linkcode Random} to draw from (W row by row, then V).
   * @param options The weights' standard deviation.
   * @returns A new network.
   *
   * @example Same seed, same network
   * ```ts
   * import { ScalarNetwork } from "./network.ts";
   * import { assertEquals } from "@std/assert";
   *
   * const sizes = { numInputs: 2, numHiddens: 3, numOutputs: 2 };
   * assertEquals(ScalarNetwork.init(sizes, 7), ScalarNetwork.init(sizes, 7));
   * assertEquals(ScalarNetwork.init(sizes, 7).b, [0, 0, 0]);
   * ```
   */
  static init(
    sizes: ScalarNetworkSizes,
    random: RandomSource,
    options: ScalarNetworkInitOptions = {},
  ): ScalarNetwork {
    const { numInputs, numHiddens, numOutputs } = sizes;
    for (const name of ["numInputs", "numHiddens", "numOutputs"] as const) {
      checkInteger(name, sizes[name], 1);
    }
    const rng = toRandom(random);
    const draw = (rows: number, cols: number, std: number) =>
      Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, std)));
    return new ScalarNetwork({
      W: draw(numInputs, numHiddens, options.std ?? 1 / Math.sqrt(numInputs)),
      b: new Array<number>(numHiddens).fill(0),
      V: draw(numHiddens, numOutputs, options.std ?? 1 / Math.sqrt(numHiddens)),
      c: new Array<number>(numOutputs).fill(0),
    });
  }

  /** The number of inputs. */
  get numInputs(): number {
    return this.W.length;
  }

  /** The number of hidden units. */
  get numHiddens(): number {
    return this.b.length;
  }

  /** The number of outputs (classes). */
  get numOutputs(): number {
    return this.c.length;
  }

  /**
   * One forward pass to the loss, keeping every intermediate value.
   *
   * @param x The input: (numInputs).
   * @param target The target class, an integer from 0 to numOutputs − 1.
   * @returns x, target, k, h, o, y and the loss.
   */
  forward(x: readonly number[], target: number): ScalarForward {
    // x is (numInputs); k and h are (numHiddens); o and y are (numOutputs)
    if (x.length !== this.numInputs) {
      throw new TypeError(
        `Expected x to have ${this.numInputs} entries (numInputs) but found ${x.length}`,
      );
    }
    const k = scalarLinearForward(x, { W: this.W, b: this.b });
    const h = scalarSigmoidForward(k);
    const o = scalarLinearForward(h, { W: this.V, b: this.c });
    const y = scalarSoftmaxForward(o);
    const loss = scalarSoftmaxCrossEntropyForward(o, target);
    return { x: x.slice(), target, k, h, o, y, loss };
  }

  /**
   * One backward pass from the loss to every weight and bias, module by module.
   *
   * @param pass The forward pass to go back through (made with these same weights).
   * @param options The path for ∂l/∂o.
   * @returns dW, db, dV, dc and the intermediate dy, do, dh, dk.
   */
  backward(pass: ScalarForward, options: ScalarBackwardOptions = {}): ScalarBackward {
    // dW and dV have the shapes of W and V; db, dh, dk are (numHiddens); dc, do, dy (numOutputs)
    const { x, target, h, y } = pass;
    const dW = this.W.map((row) => row.map(() => 0));
    const db = this.b.map(() => 0);
    const dV = this.V.map((row) => row.map(() => 0));
    const dc = this.c.map(() => 0);
    const dy = scalarCrossEntropyBackward(y, target);
    const dO = (options.path ?? "fused") === "fused"
      ? scalarSoftmaxCrossEntropyBackward(y, target)
      : scalarSoftmaxBackward(dy, y);
    const dh = scalarLinearBackward(dO, { x: h, W: this.V, dW: dV, db: dc });
    const dk = scalarSigmoidBackward(dh, h);
    scalarLinearBackward(dk, { x, W: this.W, dW, db });
    return { dW, db, dV, dc, dy, do: dO, dh, dk };
  }

  /**
   * One step of gradient descent, in place: every parameter p becomes p − lr ∂l/∂p.
   *
   * @param grads The gradients, e.g. from {@linkcode ScalarNetwork.prototype.backward}.
   * @param lr The learning rate, a finite number > 0.
   *
   * @example One step against the gradient
   * ```ts
   * import { ScalarNetwork } from "./network.ts";
   * import { assertEquals } from "@std/assert";
   *
   * const net = new ScalarNetwork({ W: [[1]], b: [0], V: [[1, 1]], c: [0, 0] });
   * net.sgdStep({ dW: [[2]], db: [0], dV: [[0, 0]], dc: [-0.5, 0.5] }, 0.1);
   * assertEquals(net.W, [[0.8]]);
   * assertEquals(net.c, [0.05, -0.05]);
   * ```
   */
  sgdStep(grads: ScalarGradients, lr: number): void {
    checkPositive("lr", lr);
    const step = (p: number[], dp: readonly number[]) => {
      for (let j = 0; j < p.length; j++) p[j] -= lr * dp[j];
    };
    this.W.forEach((row, i) => step(row, grads.dW[i]));
    step(this.b, grads.db);
    this.V.forEach((row, j) => step(row, grads.dV[j]));
    step(this.c, grads.dc);
  }

  /**
   * A copy of this network (its arrays are not shared).
   *
   * @returns A new network with the same weights and biases.
   */
  clone(): ScalarNetwork {
    return new ScalarNetwork(this);
  }
}

function checkMatrix(name: string, m: readonly number[][], rows: number, cols: number): void {
  if (rows < 1 || cols < 1 || m.length !== rows || m.some((row) => row.length !== cols)) {
    const found = m.map((row) => row.length).join(", ");
    throw new TypeError(
      `Expected ${name} to be a ${rows} × ${cols} matrix (rows of equal, positive length) but ` +
        `found ${m.length} rows of lengths [${found}]`,
    );
  }
}
