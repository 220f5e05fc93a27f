/**
 * One run of a grid, the same code in the main thread and in a worker: its configuration,
 * checked when the grid was planned, trained and returned as a plain {@linkcode RunRecord}.
 *
 * @module
 */

import type { LabelledSource, TrainMlpConfig, TrainMlpOptions } from "../../nn/train_mlp.ts";
import { stepStrategy, trainConfigured } from "../../nn/train_mlp.ts";
import type { Backend } from "../../tensor/backend.ts";
import type { RunRecord } from "../results/run_record.ts";
// the training code's fingerprint is taken when the training path loads (lib/store)
import { trainingCode } from "../../store/training_code.ts";

/** What a run is given, plain data a worker can take: index, configuration, cores, keepNetwork. */
export interface RunSpec {
  run: number;
  config: TrainMlpConfig;
  cores: number;
  keepNetwork?: boolean;
}

/**
 * Trains one configuration and records it; where and why it diverged comes from trainMlp's rule.
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
  callbacks: Pick<TrainMlpOptions, "onBatch" | "onEpoch"> = {},
): RunRecord {
  const strategy = stepStrategy(spec.cores, spec.config);
  const trained = trainConfigured(data, spec.config, backend, callbacks, strategy);
  const { config, mlp, batchLosses, epochs, diverged, seconds } = trained;
  const record: RunRecord = {
    run: spec.run,
    config,
    numBatches: Math.ceil(data.train.count / config.batchSize),
    batchLosses,
    epochs,
    diverged: diverged === null ? null : { ...diverged, loss: batchLosses[diverged.step - 1] },
    seconds,
  };
  if (spec.keepNetwork) {
    const [weights, biases] = [mlp.weights, mlp.biases].map((ms) => ms.map((m) => m.data.slice()));
    record.network = { sizes: [...mlp.sizes], weights, biases };
  }
  return record;
}

/** The hash of the training code this process (or worker) loaded; "unknown" without one. */
export function codeHash(): string {
  const code = trainingCode();
  return code instanceof Error ? "unknown" : code.hash;
}
