import type { Matrix } from "../tensor/matrix.ts";
import { type ActivationName, ACTIVATIONS } from "../tensor/activation.ts";
import { Mlp } from "./mlp.ts";

/** Options of {@linkcode flatUnits}. */
export interface FlatUnitsOptions {
  /** A unit's slope f′(k) below this is flat: it passes back less of the gradient. @default {0.01} */
  threshold?: number;
}

/** How flat one hidden layer of a network is on a probe batch. */
export interface FlatLayer {
  /** The hidden layer, from 0. */
  layer: number;
  /** Its activation. */
  activation: ActivationName;
  /** The share of its (image, unit) values whose slope f′ is below the threshold, in [0, 1]. */
  values: number;
  /**
   * The share of its units that are flat, in [0, 1]: for sigmoid and tanh, flat on more than half
   * of the probe images; for ReLU, 0 (dead) on every probe image.
   */
  units: number;
}

/**
 * How many of a network's hidden units are flat on a probe batch, each slope f′ computed by the
 * library's own activation (`ACTIVATIONS`, forward then backward), never by a re-typed formula.
 *
 * X is (B, n_0); for each hidden layer l, Z = H_{l−1}·W_l + b_l is (B, n_{l+1}), H = f(Z) and
 * f′ = the activation's backward of ones.
 *
 * @param mlp The network (not changed: its layers are run in a network of their own).
 * @param X The probe images: (B, n_0).
 * @param options The slope below which a value is flat.
 * @returns One entry per hidden layer.
 *
 * @example A sigmoid unit pushed far out is flat, one near 0 is not
 * ```ts
 * import { flatUnits } from "./flat_units.ts";
 * import { Matrix } from "../tensor/matrix.ts";
 * import { Mlp } from "./mlp.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const mlp = new Mlp({
 *   weights: [Matrix.from([[20, 0.1]]), Matrix.from([[1], [1]])],
 *   biases: [Matrix.from([[0, 0]]), Matrix.from([[0]])],
 * });
 * const [layer] = flatUnits(mlp, Matrix.from([[1], [2]]));
 * assertEquals(layer.units, 0.5);
 * ```
 */
export function flatUnits(mlp: Mlp, X: Matrix, options: FlatUnitsOptions = {}): FlatLayer[] {
  const { threshold = 0.01 } = options;
  const layers: FlatLayer[] = [];
  for (let l = 0; l + 1 < mlp.numLayers; l++) {
    // the first l + 1 layers, the last without activation: Z, bias added
    const below = new Mlp({
      weights: mlp.weights.slice(0, l + 1),
      biases: mlp.biases.slice(0, l + 1),
    }, { activations: mlp.activations.slice(0, l), backend: mlp.backend });
    const Z = below.forward(X), B = Z.rows, n = Z.cols, activation = mlp.activations[l];
    const H = Float32Array.from(Z.data), slope = new Float32Array(B * n).fill(1);
    ACTIVATIONS[activation].forward(H, new Float32Array(n), B); // H = f(Z)
    ACTIVATIONS[activation].backward(slope, H, B * n); // f′ = 1 ⊙ f′
    const flatImages = new Int32Array(n);
    let values = 0;
    for (let i = 0; i < B * n; i++) {
      if (slope[i] < threshold) values++, flatImages[i % n]++;
    }
    const needed = activation === "relu" ? B : Math.floor(B / 2) + 1;
    const units = flatImages.filter((count) => count >= needed).length;
    layers.push({ layer: l, activation, values: values / (B * n), units: units / n });
  }
  return layers;
}
