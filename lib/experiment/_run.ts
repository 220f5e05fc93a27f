/**
 * One run of a grid, the same code in the main thread and in a worker: trainMlp with a
 * divergence threshold on top of its own checks (unless the run has stopOnDivergence off),
 * returning a plain {@linkcode RunRecord}.
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
import type { RunDivergence, RunRecord } from "./run_record.ts";

/** The options of one run that can cross to a worker: no backend object, no callbacks. */
export type RunOptions = Omit<TrainMlpOptions, "backend" | "onBatch" | "onEpoch">;

/** What a run is given. */
export interface RunSpec {
  /** The run's index in the grid. */
  run: number;
  /** Its training options (evaluateEachEpoch is forced on). */
  options: RunOptions;
  /** A batch loss above this stops the run as diverged (NaN and ±∞ always do). */
  divergenceThreshold: number;
}

/** Callbacks of {@linkcode runOne}. */
export interface RunCallbacks {
  /** After every batch that did not diverge. */
  onBatch?: (progress: BatchProgress) => void;
  /** After every epoch. */
  onEpoch?: (record: EpochRecord) => void;
}

/** Thrown from onBatch to stop trainMlp at a loss above the threshold; never escapes runOne. */
class Stop {
  constructor(readonly divergence: RunDivergence) {}
}

/**
 * Trains one configuration and records it.
 *
 * @param data The training and evaluation sets.
 * @param spec The run's index, options and divergence threshold.
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
  const losses = new Float32Array(config.epochs * numBatches);
  const epochs: EpochRecord[] = [];
  const threshold = spec.divergenceThreshold;
  const started = performance.now();
  let steps = 0;
  let diverged: RunDivergence | null = null;
  try {
    const result = trainMlp(data, {
      ...options,
      onBatch(progress) {
        losses[steps++] = progress.loss;
        if (config.stopOnDivergence && progress.loss > threshold) {
          throw new Stop({ step: progress.step, epoch: progress.epoch, loss: losses[steps - 1] });
        }
        callbacks.onBatch?.(progress);
      },
      onEpoch(record) {
        epochs.push(record);
        callbacks.onEpoch?.(record);
      },
    });
    if (result.diverged !== null) {
      const { step, epoch } = result.diverged;
      diverged = { step, epoch, loss: result.batchLosses[step - 1] };
    }
    steps = result.batchLosses.length;
    losses.set(result.batchLosses);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    diverged = error.divergence;
  }
  return {
    run: spec.run,
    config,
    numBatches,
    batchLosses: losses.slice(0, steps),
    epochs,
    diverged,
    seconds: (performance.now() - started) / 1000,
  };
}
