/**
 * The course's synthetic data set (`load_synth`): 2-D points from a standard normal, labelled by
 * which side of an ellipse they fall on.
 *
 *     x ~ N(0, I) in 2-D,  q = xᵀ Q x  with  Q = [[1, −0.05], [1, 0.4]],  label 1 where q > 0.6
 *
 * so q = x₀² + 0.95 x₀x₁ + 0.4 x₁²; class 1 lies outside the ellipse q = 0.6 and holds about
 * 55.7% of the points.
 *
 * @module
 */

import { type RandomSource, toRandom } from "./random.ts";
import { checkInteger } from "../options/option_rules.ts";

/** The matrix Q of the label rule q = xᵀ Q x, row by row. */
export const SYNTH_Q: readonly (readonly number[])[] = [[1, -0.05], [1, 0.4]];

/** The threshold of the label rule: label 1 where q = xᵀ Q x is greater than this. */
export const SYNTH_THRESHOLD = 0.6;

/** One split of the synthetic data: n points and their labels. */
export interface SynthSplit {
  /** The points, row by row: point i is (X[2i], X[2i + 1]); (n, 2). */
  X: Float64Array;
  /** The labels, 0 (inside the ellipse) or 1 (outside): (n). */
  y: Uint8Array;
}

/** The synthetic data set: a training and a validation split. */
export interface SynthData {
  /** The training split. */
  train: SynthSplit;
  /** The validation split, drawn after the training split from the same stream. */
  validation: SynthSplit;
  /** The seed the points were drawn with (the generator's seed when one was passed). */
  seed: number;
}

/** Options of {@linkcode loadSynth}. */
export interface LoadSynthOptions {
  /** The number of training points, an integer ≥ 1. @default {60000} */
  numTrain?: number;
  /** The number of validation points, an integer ≥ 1. @default {10000} */
  numValidation?: number;
  /** A seed or a generator to draw from. @default {0} */
  seed?: RandomSource;
}

/**
 * The label of one point: 1 where xᵀ Q x > 0.6 (outside the ellipse), else 0.
 *
 * @param x0 The first coordinate.
 * @param x1 The second coordinate.
 * @returns 0 or 1.
 *
 * @example The origin is inside, far points are outside
 * ```ts
 * import { synthLabel } from "./synth.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(synthLabel(0, 0), 0);
 * assertEquals(synthLabel(2, 0), 1);
 * ```
 */
export function synthLabel(x0: number, x1: number): 0 | 1 {
  return quadraticForm(x0, x1) > SYNTH_THRESHOLD ? 1 : 0;
}

/** xᵀ Q x for x = (x0, x1). */
function quadraticForm(x0: number, x1: number): number {
  return x0 * x0 + (SYNTH_Q[0][1] + SYNTH_Q[1][0]) * x0 * x1 + SYNTH_Q[1][1] * x1 * x1;
}

/**
 * The course's synthetic data set, seeded: points drawn from N(0, I) (x₀ then x₁, the training
 * points first), labelled by {@linkcode synthLabel}.
 *
 * @param options The split sizes and the seed.
 * @returns The training and validation splits, X as (n, 2) and y as (n).
 *
 * @example A small, seeded set
 * ```ts
 * import { loadSynth } from "./synth.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const data = loadSynth({ numTrain: 100, numValidation: 20, seed: 1 });
 * assertEquals(data.train.X.length, 200);
 * assertEquals(data.validation.y.length, 20);
 * assertEquals(loadSynth({ numTrain: 100, numValidation: 20, seed: 1 }), data);
 * ```
 */
export function loadSynth(options: LoadSynthOptions = {}): SynthData {
  const { numTrain = 60_000, numValidation = 10_000, seed = 0 } = options;
  checkInteger("numTrain", numTrain, 1);
  checkInteger("numValidation", numValidation, 1);
  const random = toRandom(seed);
  const draw = (n: number): SynthSplit => {
    const X = new Float64Array(2 * n), y = new Uint8Array(n); // (n, 2) and (n)
    for (let i = 0; i < n; i++) {
      const x0 = random.normal(), x1 = random.normal();
      X[2 * i] = x0;
      X[2 * i + 1] = x1;
      y[i] = synthLabel(x0, x1);
    }
    return { X, y };
  };
  return { train: draw(numTrain), validation: draw(numValidation), seed: random.seed };
}

/**
 * Points on the true class boundary, the ellipse xᵀ Q x = 0.6, for drawing it: in direction θ
 * the boundary lies at radius r = √(0.6 / uᵀ Q u) with u = (cos θ, sin θ).
 *
 * @param numPoints How many points, evenly in angle; the first is repeated to close the line.
 * @returns numPoints + 1 points {x0, x1}.
 *
 * @example Every point lies on the ellipse
 * ```ts
 * import { synthBoundary } from "./synth.ts";
 * import { assertAlmostEquals } from "@std/assert";
 *
 * for (const { x0, x1 } of synthBoundary(8)) {
 *   assertAlmostEquals(x0 * x0 + 0.95 * x0 * x1 + 0.4 * x1 * x1, 0.6, 1e-12);
 * }
 * ```
 */
export function synthBoundary(numPoints = 200): { x0: number; x1: number }[] {
  checkInteger("numPoints", numPoints, 1);
  return Array.from({ length: numPoints + 1 }, (_, i) => {
    const theta = (2 * Math.PI * (i % numPoints)) / numPoints;
    // Math.cos and sin differ between engines in the last bit: fine here, as this is only drawn
    const u0 = Math.cos(theta), u1 = Math.sin(theta);
    const r = Math.sqrt(SYNTH_THRESHOLD / quadraticForm(u0, u1));
    return { x0: r * u0, x1: r * u1 };
  });
}
