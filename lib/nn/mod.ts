/**
 * The vectorized MLP on the tensor backends, one concern per file:
 * - the model: `mlp.ts` (forward, backward to each layer's delta, `trainStep`), its first
 *   layer's compacted product (`input_product.ts`), initialisation (`init.ts`);
 * - the loss at the logits (`loss.ts`: the cross-entropy and the seed report's);
 * - the optimizers, bound to their parameters, each owning its update from a layer's delta
 *   (`optimizer.ts`, `sgd.ts` with its fused paths, `adam.ts` on the backend's adam primitive);
 * - training: `train_mlp.ts` (the epoch loop), the step strategies it plugs in
 *   (`step_strategy.ts`: one core; `_two_core*.ts`: the hidden units split over two),
 *   the divergence rule (`divergence.ts`), evaluation (`evaluate.ts`) and the run options'
 *   schema (`run_options.ts`).
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
