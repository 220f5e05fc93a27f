/**
 * Statistics over plain numbers: the mean and sample standard deviation, the centred running
 * mean, and a learning curve (that running mean at evenly spaced steps). The summaries of
 * lib/experiment and the notebooks' plots compute with these.
 *
 * @module
 */

export * from "./mean_std.ts";
export * from "./running_mean.ts";
export * from "./learning_curve.ts";
