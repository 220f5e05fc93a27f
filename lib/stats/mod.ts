/**
 * Statistics over plain numbers: mean and standard deviation, running mean, learning curve.
 *
 * @module
 */

export * from "./mean_std.ts";
export * from "./running_mean.ts";
export * from "./learning_curve.ts";
