/**
 * The vectorized MLP on the tensor backends: the model (`mlp.ts`, `input_product.ts`,
 * `init.ts`), the losses (`loss.ts`), the optimizers, each owning its update from a layer's delta
 * (`optimizer.ts`, `sgd.ts`, `adam.ts`), and training: the epoch loop (`train_mlp.ts`), its step
 * strategies (`step_strategy.ts`, `_two_core*.ts`), the divergence rule, evaluation, the run
 * options' schema (`run_options.ts`), and the share of flat hidden units (`flat_units.ts`).
 *
 * @module
 */

export * from "../tensor/activation.ts";
export * from "./init.ts";
export * from "./loss.ts";
export * from "./optimizer.ts";
export * from "./sgd.ts";
export * from "./adam.ts";
export * from "./input_product.ts";
export * from "./mlp.ts";
export * from "./evaluate.ts";
export * from "./divergence.ts";
export * from "./step_strategy.ts";
export * from "./train_mlp.ts";
export * from "./flat_units.ts";
