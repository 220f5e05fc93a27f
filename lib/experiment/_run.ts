/**
 * One run of a grid, the same code in the main thread and in a worker: trainMlp, returning a
 * plain {@linkcode RunRecord}.
 *
 * @module
 */

import type {
  BatchProgress,
  EpochRecord,
  LabelledSource,
  TrainMlpOptions,
} from "../nn/train_mlp.ts";
import { resolveTrainMlpConfig, trainMlp } from "../nn/train_mlp.ts";
import type { Backend } from "../tensor/backend.ts";
import type { RunRecord } from "./run_record.ts";

/** The options of one run that can cross to a worker: no backend object, no callbacks. */
export type RunOptions = Omit<TrainMlpOptions, "backend" | "onBatch" | "onEpoch">;

/** What a run is given. */
export interface RunSpec {
  /** The run's index in the grid. */
  run: number;
  /** Its training options (evaluateEachEpoch is forced on). */
  options: RunOptions;
}

/** Callbacks of {@linkcode runOne}. */
export interface RunCallbacks {
  /** After every batch that did not diverge. */
  onBatch?: (progress: BatchProgress) => void;
  /** After every epoch. */
  onEpoch?: (record: EpochRecord) => void;
}

/**
 * Trains one configuration and records it; where and why it diverged comes from trainMlp's
 * rule.
 *
 * @param data The training and evaluation sets.
 * @param spec The run's index and options.
 * @param backend The backend.
 * @param callbacks Progress callbacks.
 * @returns The run's record.
 */
export function runOne(
  data: { train: LabelledSource; eval: LabelledSource },
  spec: RunSpec,
  backend: Backend,
  callbacks: RunCallbacks = {},
): RunRecord {
  const options: TrainMlpOptions = { ...spec.options, evaluateEachEpoch: true, backend };
  const config = resolveTrainMlpConfig(options);
  const numBatches = Math.ceil(data.train.count / config.batchSize);
  const started = performance.now();
  const result = trainMlp(data, { ...options, ...callbacks });
  const { diverged, batchLosses } = result;
  return {
    run: spec.run,
    config,
    numBatches,
    batchLosses,
    epochs: result.epochs,
    diverged: diverged === null ? null : { ...diverged, loss: batchLosses[diverged.step - 1] },
    seconds: (performance.now() - started) / 1000,
  };
}
