/**
 * The scalar network of Q3 in plain TypeScript (numbers, arrays and Math only): the modules
 * linear, sigmoid, softmax and cross-entropy, each with its forward and backward side by side,
 * the fused stable softmax cross-entropy, `ScalarNetwork` built from them, and its training
 * loop (`trainScalar`, on a flat copy of the network that allocates nothing per step).
 *
 * @module
 */

export * from "./linear.ts";
export * from "./sigmoid.ts";
export * from "./softmax.ts";
export * from "./softmax_jacobian.ts";
export * from "./cross_entropy.ts";
export * from "./softmax_cross_entropy.ts";
export * from "./network.ts";
export * from "./train.ts";
