/**
 * A learning curve from per-step losses: a running mean at evenly spaced steps, so a plot of
 * hundreds of thousands of steps stays small.
 *
 * @module
 */

import { runningMean } from "./running_mean.ts";
import { checkInteger } from "../options/option_rules.ts";

/** One point of a {@linkcode learningCurve}. */
export interface LearningCurvePoint {
  /** The step, counted from 1. */
  step: number;
  /** That step's own loss. */
  loss: number;
  /** The mean loss of the `window` steps centred on this one (fewer at either end). */
  mean: number;
}

/** Options of {@linkcode learningCurve}. */
export interface LearningCurveOptions {
  /** The number of steps the centred running mean averages over, an integer ≥ 1. @default {1000} */
  window?: number;
  /** At most this many points, spread evenly from the first step to the last. @default {2000} */
  numPoints?: number;
}

/**
 * The centred {@linkcode runningMean} of per-step losses at evenly spaced steps, each beside its
 * own loss: single-instance losses jump between ~0 and several units; the mean shows the trend.
 *
 * @param losses Every step's loss, in order: (numSteps).
 * @param options The window of the running mean and the number of points.
 * @returns min(numSteps, numPoints) points {step, loss, mean}, the first and last step included.
 *
 * @example A running mean over 2 steps: each step and the next
 * ```ts
 * import { learningCurve } from "./learning_curve.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(learningCurve([4, 2, 0], { window: 2 }), [
 *   { step: 1, loss: 4, mean: 3 },
 *   { step: 2, loss: 2, mean: 1 },
 *   { step: 3, loss: 0, mean: 0 },
 * ]);
 * ```
 */
export function learningCurve(
  losses: ArrayLike<number>,
  options: LearningCurveOptions = {},
): LearningCurvePoint[] {
  const { window = 1000, numPoints = 2000 } = options;
  const mean = runningMean(losses, window); // (numSteps), checks window
  checkInteger("numPoints", numPoints, 1);
  const steps = evenlySpaced(losses.length, numPoints);
  return steps.map((i) => ({ step: i + 1, loss: losses[i], mean: mean[i] }));
}

/**
 * min(length, count) indices from 0 to length − 1, evenly spaced (rounded), both ends included.
 *
 * @param length The length of the series.
 * @param count The most indices wanted, an integer ≥ 1.
 * @returns The indices, ascending and distinct.
 */
export function evenlySpaced(length: number, count: number): number[] {
  const k = Math.min(length, count);
  if (k <= 1) return k === 0 ? [] : [length - 1];
  return Array.from({ length: k }, (_, j) => Math.round((j * (length - 1)) / (k - 1)));
}
