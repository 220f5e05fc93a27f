/**
 * How a run takes its training steps: a strategy makes, for a network and a run's settings, a
 * stepper that owns the optimizer, any threads it trains on and their teardown: one core
 * ({@linkcode oneCore}), or two splitting the hidden units with a worker (_two_core.ts).
 *
 * @module
 */

import type { Batch } from "../data/batch_loader.ts";
import { Adam } from "./adam.ts";
import { batchInputs } from "./input_product.ts";
import type { BatchResult, Mlp } from "./mlp.ts";
import type { RunOptionValues } from "./run_options.ts";
import { Sgd } from "./sgd.ts";

/** What a stepper needs of a run's configuration, and the steps of the whole run. */
export type StepSettings =
  & Pick<RunOptionValues, "optimizer" | "lr" | "momentum" | "schedule" | "loss" | "batchSize">
  & { totalSteps: number };

/** Takes a run's steps on its network. */
export interface Stepper {
  /**
   * Trains on each batch of an epoch in turn, yielding each step's mean loss (before the step),
   * correct count and batch size. A batch's buffers may be reused once its step is yielded.
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
 * Every step in this thread: `Mlp.trainStep` with the run's optimizer and loss.
 *
 * @param mlp The network.
 * @param settings The run's settings.
 * @returns Its stepper.
 */
export function oneCore(mlp: Mlp, settings: StepSettings): Stepper {
  const { lr, momentum, schedule, totalSteps, loss } = settings, n0 = mlp.sizes[0];
  const optimizer = settings.optimizer === "adam"
    ? new Adam(mlp, { lr, schedule, totalSteps })
    : new Sgd(mlp, { lr, momentum, schedule, totalSteps });
  return {
    *epoch(batches) {
      for (let next = batches.next(); !next.done; next = batches.next()) {
        const { y, size } = next.value;
        yield { ...mlp.trainStep(batchInputs(next.value, n0), y, { optimizer, loss }), size };
      }
    },
    network: () => mlp,
    close() {},
  };
}
