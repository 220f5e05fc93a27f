/**
 * The scalar network of Q3 in plain TypeScript (numbers, arrays, Math's exactly rounded functions
 * and the portable exp and log of lib/data/portable_math.ts, so every engine trains it bit for bit
 * alike): its modules, each forward beside its backward, `ScalarNetwork` built from them, and its
 * training loop.
 *
 * @module
 */

export * from "./linear.ts";
export * from "./sigmoid.ts";
export * from "./softmax.ts";
export * from "./softmax_cross_entropy.ts";
export * from "./network.ts";
export * from "./train.ts";
