/**
 * Weight initialisation for the MLP's layers.
 *
 * @module
 */

import { Matrix } from "../tensor/matrix.ts";
import { type RandomSource, toRandom } from "../data/random.ts";
import { checkOneOf } from "../options/option_rules.ts";

/**
 * How to draw a layer's weights (biases always start at 0):
 * - `"fanIn"`: N(0, 1/fan_in), the default — each unit's input starts with variance about that
 *   of one input, so sigmoids start in their steep middle;
 * - `"glorot"`: N(0, 2/(fan_in + fan_out)) (Glorot and Bengio 2010);
 * - `"he"`: N(0, 2/fan_in) (He et al. 2015), for ReLU units, which zero half their inputs;
 * - `"seedReport"`: N(1, 1), the student report's choice, kept to show why it fails
 *   (all-positive, symmetric weights saturate every sigmoid);
 * - `"standardNormal"`: N(0, 1), the report's spread around a mean of 0 (one change away from
 *   it, for the reproduction in notebook 05).
 */
export type InitName = "fanIn" | "glorot" | "he" | "seedReport" | "standardNormal";

/** Each rule's mean and standard deviation for a (fanIn, fanOut) layer. */
const SPREADS: Record<InitName, (fanIn: number, fanOut: number) => [number, number]> = {
  fanIn: (fanIn) => [0, Math.sqrt(1 / fanIn)],
  glorot: (fanIn, fanOut) => [0, Math.sqrt(2 / (fanIn + fanOut))],
  he: (fanIn) => [0, Math.sqrt(2 / fanIn)],
  seedReport: () => [1, 1],
  standardNormal: () => [0, 1],
};

/** The init names, in the order they are documented. */
export const INIT_NAMES = Object.keys(SPREADS) as readonly InitName[];

/**
 * A (fanIn, fanOut) weight matrix drawn by the named rule.
 *
 * @param shape [fanIn, fanOut]: the layer's inputs and outputs.
 * @param options The rule and the generator (or seed) to draw from.
 * @returns The weights: (fanIn, fanOut).
 *
 * @example N(0, 1/fan_in)
 * ```ts
 * import { initWeights } from "./init.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * const W = initWeights([400, 300], { init: "fanIn", random: 1 });
 * const variance = W.data.reduce((s, w) => s + w * w, 0) / W.size;
 * assertAlmostEquals(variance, 1 / 400, 1e-4);
 * ```
 */
export function initWeights(
  shape: readonly [number, number],
  options: { init?: InitName; random: RandomSource },
): Matrix {
  const [fanIn, fanOut] = shape;
  const { init = "fanIn" } = options;
  checkOneOf("init", init, INIT_NAMES);
  const random = toRandom(options.random);
  const [mean, std] = SPREADS[init](fanIn, fanOut);
  const W = new Matrix(fanIn, fanOut);
  for (let i = 0; i < W.data.length; i++) W.data[i] = random.normal(mean, std);
  return W;
}
