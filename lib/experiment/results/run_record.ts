/**
 * The record of one run of a grid: its configuration, the loss of every batch, the epochs and
 * where it diverged. Plain data (typed arrays, numbers, strings): it crosses to and from a worker
 * unchanged.
 *
 * @module
 */

import type { EpochRecord, TrainMlpConfig } from "../../nn/train_mlp.ts";
import type { RunKeyParts } from "../../store/run_key.ts";

/** Where and why a run diverged (trainMlp's rule, see TrainMlpResult.diverged). */
export interface RunDivergence {
  /** Why: the loss became NaN or infinite, or its running mean rose far above a uniform guess's. */
  reason: "non-finite loss" | "exploding loss";
  /** The step (from 1) at which the run stopped. */
  step: number;
  /** The epoch (from 1) of that step. */
  epoch: number;
  /** That step's loss. */
  loss: number;
}

/** A trained network's parameters as plain arrays: W_l (sizes[l], sizes[l+1]) and b_l, row-major. */
export interface RunNetwork {
  /** The layer sizes, inputs first, e.g. [784, 300, 10]. */
  sizes: number[];
  /** The weights of each layer: (sizes[l] × sizes[l+1]) float32. */
  weights: Float32Array[];
  /** The biases of each layer: (sizes[l+1]) float32. */
  biases: Float32Array[];
}

/**
 * One run of a grid, as it ran.
 *
 * @example A record of a short run that went well
 * ```ts
 * import type { RunRecord } from "./run_record.ts";
 * import { resolveTrainMlpConfig } from "../../nn/train_mlp.ts";
 * import { jsBackend } from "../../tensor/backends/js.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const record: RunRecord = {
 *   run: 0,
 *   config: resolveTrainMlpConfig({ lr: 0.1, seed: 0, epochs: 1, backend: jsBackend }),
 *   numBatches: 2,
 *   batchLosses: new Float32Array([2.3, 1.9]),
 *   epochs: [{
 *     epoch: 1, trainLoss: 2.1, trainAccuracy: 0.3, trainEvalLoss: NaN, trainEvalAccuracy: NaN,
 *     evalLoss: 1.8, evalAccuracy: 0.4, trainSeconds: 0.01,
 *   }],
 *   diverged: null,
 *   seconds: 0.02,
 * };
 * assertEquals(record.batchLosses.length, record.config.epochs * record.numBatches);
 * ```
 */
export interface RunRecord {
  /** The run's index in the grid, from 0: learning rates outer, seeds inner. */
  run: number;
  /** The whole configuration, every default filled in, with the backend's name. */
  config: TrainMlpConfig;
  /** Batches per epoch: ⌈training examples / batch size⌉. */
  numBatches: number;
  /** The loss of every batch, in order: (steps done). A diverged run's last one is the bad one. */
  batchLosses: Float32Array;
  /** One record per completed epoch. */
  epochs: EpochRecord[];
  /** Where the run diverged, or null. */
  diverged: RunDivergence | null;
  /** Wall-clock seconds of the run, evaluation included. */
  seconds: number;
  /**
   * The run's key in the run store and its parts, when it has one (lib/store): results files
   * keep it, so committed results can seed a fresh clone's store.
   */
  key?: { key: string; parts: RunKeyParts };
  /** The network as trained, when the grid was asked to keep it (RunGridOptions.keepNetworks). */
  network?: RunNetwork;
}
