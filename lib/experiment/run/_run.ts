/**
 * One run of a grid, the same code in the main thread and in a worker: its configuration,
 * checked when the grid was planned, trained and returned as a plain {@linkcode RunRecord}.
 *
 * @module
 */

import type {
  BatchProgress,
  EpochRecord,
  LabelledSource,
  TrainMlpConfig,
} from "../../nn/train_mlp.ts";
import { stepStrategy, trainConfigured } from "../../nn/train_mlp.ts";
import type { Backend } from "../../tensor/backend.ts";
import type { RunRecord } from "../results/run_record.ts";
// the training code's fingerprint is taken when the training path loads (lib/store)
import "../../store/training_code.ts";

/** What a run is given: plain data, so it can cross to a worker. */
export interface RunSpec {
  /** The run's index in the grid. */
  run: number;
  /** Its configuration, checked by resolveTrainMlpConfig (evaluateEachEpoch on). */
  config: TrainMlpConfig;
  /** The cores it trains on (checked by checkCores). */
  cores: number;
  /** Whether its record keeps the trained network's parameters. */
  keepNetwork?: boolean;
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
 * @param spec The run's index and configuration.
 * @param backend The backend the configuration names.
 * @param callbacks Progress callbacks.
 * @returns The run's record.
 */
export function runOne(
  data: { train: LabelledSource; eval: LabelledSource },
  spec: RunSpec,
  backend: Backend,
  callbacks: RunCallbacks = {},
): RunRecord {
  const { config, mlp, batchLosses, epochs, diverged, seconds } = trainConfigured(
    data,
    spec.config,
    backend,
    callbacks,
    stepStrategy(spec.cores, spec.config),
  );
  return {
    run: spec.run,
    config,
    numBatches: Math.ceil(data.train.count / config.batchSize),
    batchLosses,
    epochs,
    diverged: diverged === null ? null : { ...diverged, loss: batchLosses[diverged.step - 1] },
    seconds,
    ...spec.keepNetwork
      ? {
        network: {
          sizes: [...mlp.sizes],
          weights: mlp.weights.map((W) => W.data.slice()),
          biases: mlp.biases.map((b) => b.data.slice()),
        },
      }
      : {},
  };
}
