/**
 * The record of one run of a grid: plain data, so it crosses to and from a worker unchanged; and
 * the network it kept, back as an {@linkcode Mlp}.
 *
 * @module
 */

import { Mlp } from "../../nn/mlp.ts";
import type { EpochRecord, TrainMlpConfig, TrainMlpResult } from "../../nn/train_mlp.ts";
import type { RunKeyParts } from "../../store/run_key.ts";
import type { Backend } from "../../tensor/backend.ts";
import { Matrix } from "../../tensor/matrix.ts";

/** Where and why a run diverged (see {@linkcode TrainMlpResult.diverged}), and the loss there. */
export interface RunDivergence extends NonNullable<TrainMlpResult["diverged"]> {
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

/** One run of a grid: its configuration, every batch's loss, the epochs and where it diverged. */
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
  /** The run's key in the run store and its parts, if any: kept in results files (seedRunStore). */
  key?: { key: string; parts: RunKeyParts };
  /** The network as trained, when the grid was asked to keep it (RunGridOptions.keepNetworks). */
  network?: RunNetwork;
}

/**
 * The trained network of a run whose grid kept it (`keepNetworks: true`), with the run's hidden
 * activation; throws a RangeError naming the run when the record has none.
 *
 * @param record The run's record.
 * @param backend The backend it computes on. @default {defaultBackend()}
 * @returns The network.
 */
export function recordNetwork(record: RunRecord, backend?: Backend): Mlp {
  const { network, config } = record;
  if (network === undefined) {
    throw new RangeError(
      `Expected run ${record.run} (lr ${config.lr}, seed ${config.seed}) to keep its network ` +
        "but found none: pass keepNetworks: true to runGrid",
    );
  }
  const { sizes } = network;
  return new Mlp({
    weights: network.weights.map((W, l) => new Matrix(sizes[l], sizes[l + 1], W.slice())),
    biases: network.biases.map((b, l) => new Matrix(1, sizes[l + 1], b.slice())),
  }, { activations: config.activation, ...backend === undefined ? {} : { backend } });
}
