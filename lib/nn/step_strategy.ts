/**
 * How a run takes its training steps. A strategy makes, for a network and a run's settings, a
 * stepper that owns the optimizer, any threads it trains on and their teardown: one core steps in
 * this thread ({@linkcode oneCore}); two cores split the hidden units with a worker
 * (`twoCores`, _two_core.ts).
 *
 * @module
 */

import type { Batch } from "../data/batch_loader.ts";
import { Adam } from "./adam.ts";
import { batchInputs } from "./input_product.ts";
import type { LossName } from "./loss.ts";
import type { BatchResult, Mlp } from "./mlp.ts";
import type { Optimizer, OptimizerName, Parameters, ScheduleName } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";

/** What a stepper needs of a run's configuration. */
export interface StepSettings {
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  schedule: ScheduleName;
  loss: LossName;
  /** The largest batch. */
  batchSize: number;
  /** The steps of the whole run (the schedule spans them). */
  totalSteps: number;
}

/** Takes a run's steps on its network. */
export interface Stepper {
  /**
   * Trains on each batch of an epoch in turn, yielding each step's mean loss (before the step),
   * correct count and batch size. A batch's buffers may be overwritten once its step is yielded (a stepper
   * may draw the next batch earlier, while another thread computes).
   */
  epoch(batches: Iterator<Batch>): Generator<StepResult, void, undefined>;
  /** The network, with the weights of the last step. */
  network(): Mlp;
  /** Ends the run: the last weights into the network, threads and thread counts released. */
  close(): void;
}

/** A step's mean loss and correct count, and its batch's size. */
export type StepResult = BatchResult & { size: number };

/** Makes a run's stepper for its network (with its initial weights) and settings. */
export type StepStrategy = (mlp: Mlp, settings: StepSettings) => Stepper;

/**
 * The optimizer a run's settings name, bound to parameters.
 *
 * @param params The parameters.
 * @param settings The run's optimizer, rate, momentum, schedule and its length.
 * @returns SGD or Adam.
 */
export function optimizerFor(params: Parameters, settings: StepSettings): Optimizer {
  const { lr, momentum, schedule, totalSteps } = settings;
  return settings.optimizer === "adam"
    ? new Adam(params, { lr, schedule, totalSteps })
    : new Sgd(params, { lr, momentum, schedule, totalSteps });
}

/**
 * Every step in this thread: `Mlp.trainStep` with the run's optimizer and loss (a
 * {@linkcode StepStrategy}).
 *
 * @param mlp The network.
 * @param settings The run's settings.
 * @returns Its stepper.
 */
export function oneCore(mlp: Mlp, settings: StepSettings): Stepper {
  const optimizer = optimizerFor(mlp, settings), n0 = mlp.sizes[0];
  return {
    *epoch(batches) {
      for (let next = batches.next(); !next.done; next = batches.next()) {
        const { y, size } = next.value, loss = settings.loss;
        yield { ...mlp.trainStep(batchInputs(next.value, n0), y, { optimizer, loss }), size };
      }
    },
    network: () => mlp,
    close() {},
  };
}
