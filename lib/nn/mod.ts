/**
 * The vectorized MLP on the tensor backends: initialisation, forward and backward for one
 * instance or a batch, SGD with momentum and schedules, evaluation and the training loop.
 *
 * @module
 */

export * from "../tensor/activation.ts";
export * from "./init.ts";
export * from "./loss.ts";
export * from "./optimizer.ts";
export * from "./sgd.ts";
export * from "./adam.ts";
export * from "./mlp.ts";
export * from "./evaluate.ts";
export * from "./train_mlp.ts";
