/**
 * Minibatch training of the MLP on a labelled data set, epoch by epoch, by a step strategy (one
 * core or two), recording the loss of every batch and the evaluation after every epoch.
 *
 * @module
 */

import { BatchLoader, type BatchSource } from "../data/batch_loader.ts";
import type { LabelledImages } from "../data/labelled_images.ts";
import { Random } from "../data/random.ts";
import type { Backend } from "../tensor/backend.ts";
import { defaultBackend } from "../tensor/get_backend.ts";
import { evaluate } from "./evaluate.ts";
import { type DivergenceReason, DivergenceWatch } from "./divergence.ts";
import { Mlp } from "./mlp.ts";
import { oneCore, type StepStrategy } from "./step_strategy.ts";
import { twoCores } from "./_two_core.ts";
import { OptionError } from "../options/option_rules.ts";
import {
  RUN_OPTION_NAMES,
  RUN_OPTIONS,
  type RunOptionValues,
  type SharedRunField,
} from "./run_options.ts";

/** A labelled data set with its number of classes (for instance `LabelledImages`). */
export type LabelledSource = BatchSource & Pick<LabelledImages, "numClasses">;

/** Options of {@linkcode trainMlp}: RUN_OPTIONS' values (lr and seed required) and these. */
export type TrainMlpOptions =
  & Pick<RunOptionValues, "lr" | "seed">
  & Partial<Omit<RunOptionValues, "lr" | "seed">>
  & {
    /** The backend of the matrix products. @default {defaultBackend()} */
    backend?: Backend;
    /**
     * Cores the run trains on: 1, or 2 splitting the hidden units with a worker (one hidden
     * layer, SGD, the cross-entropy; the one-core numbers summed in another order). @default {1}
     */
    cores?: number;
    /** Called after every batch (for progress displays). */
    onBatch?: (progress: BatchProgress) => void;
    /** Called after every epoch with its record. */
    onEpoch?: (record: EpochRecord) => void;
  };

/**
 * What {@linkcode TrainMlpOptions.onBatch} is told: the epoch, the batch within it and the step
 * over the run (each from 1), the batches per epoch and steps in the run, the batch's mean loss.
 */
export interface BatchProgress {
  epoch: number;
  batch: number;
  numBatches: number;
  step: number;
  totalSteps: number;
  loss: number;
}

/** The record of one epoch. */
export interface EpochRecord {
  /** The epoch, from 1. */
  epoch: number;
  /** The mean of the epoch's batch losses. */
  trainLoss: number;
  /** The fraction of training examples classified right while training (before each step). */
  trainAccuracy: number;
  /** Cross-entropy on the first trainEvalSize training examples after the epoch (or NaN). */
  trainEvalLoss: number;
  /** Accuracy on the first trainEvalSize training examples after the epoch (or NaN). */
  trainEvalAccuracy: number;
  /** Loss on the evaluation set after the epoch (NaN when not evaluated). */
  evalLoss: number;
  /** Accuracy on the evaluation set after the epoch (NaN when not evaluated). */
  evalAccuracy: number;
  /** Seconds spent training in this epoch (evaluation excluded). */
  trainSeconds: number;
}

/** The resolved configuration of a run, every default filled in. */
export type TrainMlpConfig = RunOptionValues & { backend: string };

/**
 * The configuration fields the runs of a grid share (RUN_OPTIONS' `shared` ones, in its order):
 * all but lr, seed and backend, each a column of a grid's runs frame.
 */
export const SHARED_RUN_FIELDS = RUN_OPTION_NAMES.filter((name) =>
  RUN_OPTIONS[name].shared
) as SharedRunField[];

export type { SharedRunField };

/**
 * The shared run fields that an object (a grid's or a command's options) sets; nothing else.
 *
 * @param options Options that may hold shared run fields among others.
 * @returns The fields that are set.
 */
export function pickSharedRunFields(
  options: Partial<Pick<TrainMlpOptions, SharedRunField>>,
): Partial<Pick<TrainMlpOptions, SharedRunField>> {
  const set = SHARED_RUN_FIELDS.filter((field) => options[field] !== undefined);
  return Object.fromEntries(set.map((field) => [field, options[field]]));
}

/** Everything a run produced. */
export interface TrainMlpResult {
  /** The configuration, defaults filled in, with the backend's name. */
  config: TrainMlpConfig;
  mlp: Mlp;
  /** The loss of every batch, in order (shorter than planned when the run diverged). */
  batchLosses: Float32Array;
  /** One record per completed epoch. */
  epochs: EpochRecord[];
  /** Where and why the run diverged (divergence.ts), or null. */
  diverged: { step: number; epoch: number; reason: DivergenceReason } | null;
  /** Wall-clock seconds of the whole run, evaluation included. */
  seconds: number;
}

/**
 * Checks a run's options and fills in the defaults; throws a RangeError naming the first bad
 * option, the value found and what is allowed, before any work.
 *
 * @param options The options.
 * @returns The configuration.
 */
export function resolveTrainMlpConfig(options: TrainMlpOptions): TrainMlpConfig {
  const config: Record<string, unknown> = {};
  for (const name of RUN_OPTION_NAMES) { // each option by its one rule (lib/nn/run_options.ts)
    const value = options[name] ?? RUN_OPTIONS[name].default;
    RUN_OPTIONS[name].check(value);
    config[name] = Array.isArray(value) ? [...value] : value;
  }
  const resolved = config as RunOptionValues;
  if (resolved.optimizer === "adam" && resolved.momentum !== 0) {
    const rule = "0 with the adam optimizer (it keeps its own running means)";
    throw new OptionError("momentum", rule, resolved.momentum);
  }
  return { ...resolved, backend: (options.backend ?? defaultBackend()).name };
}

/**
 * Trains an MLP (inputs → hidden layers → classes) with minibatches: the training set is
 * reshuffled every epoch, every batch's loss recorded, and the evaluation set scored after every
 * epoch; a run that diverges (divergence.ts) stops at once, and the result says where and why.
 *
 * @param data The training set and the evaluation (validation or test) set.
 * @param options The configuration; lr and seed are required.
 * @returns The network, the learning curve, the epoch records, divergence and time.
 *
 * @example Two epochs on a small synthetic problem
 * ```ts
 * import { trainMlp } from "./train_mlp.ts";
 * import { jsBackend } from "../tensor/backends/js.ts";
 * import { assertGreater } from "@std/assert";
 *
 * // class = which of 4 inputs is largest
 * const make = (count: number, offset: number) => ({
 *   count, numInputs: 4, numClasses: 4,
 *   gather(indices: ArrayLike<number>, X: Float32Array, y: Int32Array) {
 *     for (let r = 0; r < indices.length; r++) {
 *       const i = indices[r] + offset;
 *       y[r] = i % 4;
 *       for (let j = 0; j < 4; j++) X[r * 4 + j] = j === i % 4 ? 1 : ((i * (j + 3)) % 7) / 14;
 *     }
 *   },
 * });
 * const run = trainMlp({ train: make(400, 0), eval: make(100, 400) }, {
 *   lr: 0.5, seed: 1, epochs: 20, batchSize: 10, hidden: [8], backend: jsBackend,
 * });
 * assertGreater(run.epochs.at(-1)!.evalAccuracy, 0.9);
 * ```
 */
export function trainMlp(
  data: { train: LabelledSource; eval: LabelledSource },
  options: TrainMlpOptions,
): TrainMlpResult {
  const backend = options.backend ?? defaultBackend();
  const config = resolveTrainMlpConfig({ ...options, backend });
  return trainConfigured(data, config, backend, options, stepStrategy(options.cores ?? 1, config));
}

/**
 * Checks a run's core count: 1, or 2 when {@linkcode splitsOverTwoCores}.
 *
 * @param cores The core count.
 * @param config The run's configuration.
 */
export function checkCores(cores: unknown, config: TrainMlpConfig): void {
  if (cores !== 1 && (cores !== 2 || !splitsOverTwoCores(config))) {
    const rule =
      "1, or 2 for one hidden layer of at least 2 units trained by SGD on the cross-entropy";
    throw new OptionError("cores", rule, cores);
  }
}

/**
 * Whether `twoCores` can split a run: one hidden layer of at least 2 units, SGD, the cross-entropy.
 *
 * @param config The run's configuration.
 * @returns Whether it can.
 */
export function splitsOverTwoCores(config: TrainMlpConfig): boolean {
  const { hidden, optimizer, loss } = config;
  return hidden.length === 1 && hidden[0] >= 2 && optimizer === "sgd" && loss === "crossEntropy";
}

/**
 * The step strategy of a run on a number of cores, checked by {@linkcode checkCores}.
 *
 * @param cores 1, or 2 to split the hidden units between this thread and a worker.
 * @param config The run's configuration.
 * @returns `oneCore` or `twoCores`.
 */
export function stepStrategy(cores: number, config: TrainMlpConfig): StepStrategy {
  checkCores(cores, config);
  return cores === 2 ? twoCores : oneCore;
}

/**
 * Checks, before anything is allocated, that a network's parameters fit in this machine's memory
 * (16 GiB when it may not be asked) with two more copies (gradients, velocities or Adam's
 * moments); a RangeError names `hidden` otherwise.
 *
 * @param sizes The layer sizes, inputs first, e.g. [784, 300, 10].
 */
export function checkNetworkFits(sizes: readonly number[]): void {
  let params = 0;
  for (let l = 0; l + 1 < sizes.length; l++) params += (sizes[l] + 1) * sizes[l + 1];
  const bytes = params * 4 * 3;
  const permitted =
    Deno.permissions.querySync({ name: "sys", kind: "systemMemoryInfo" }).state === "granted";
  const memory = permitted ? Deno.systemMemoryInfo().total : 2 ** 34;
  if (bytes > memory) {
    const gb = (n: number) => `${(n / 2 ** 30).toPrecision(3)} GiB`;
    throw new OptionError(
      "hidden",
      `small enough to fit: the ${sizes.join("-")} network needs ${gb(bytes)} for its ` +
        `weights and their optimizer state, this machine has ${gb(memory)}`,
      sizes.slice(1, -1),
    );
  }
}

/**
 * {@linkcode trainMlp} with a configuration that {@linkcode resolveTrainMlpConfig} has already
 * checked (a grid checks all its runs before the first starts, then trains each with this).
 *
 * @param data The training set and the evaluation set.
 * @param config The checked configuration; its backend names `backend`.
 * @param backend The backend.
 * @param callbacks Called after every batch and every epoch.
 * @param strategy How the steps are taken. @default {oneCore}
 * @returns The network, the learning curve, the epoch records, divergence and time.
 */
export function trainConfigured(
  data: { train: LabelledSource; eval: LabelledSource },
  config: TrainMlpConfig,
  backend: Backend,
  callbacks: Pick<TrainMlpOptions, "onBatch" | "onEpoch"> = {},
  strategy: StepStrategy = oneCore,
): TrainMlpResult {
  const started = performance.now(), random = new Random(config.seed), { train } = data;
  const sizes = [train.numInputs, ...config.hidden, train.numClasses];
  checkNetworkFits(sizes);
  const { activation: activations, init, compact, batchSize } = config;
  const mlp = Mlp.init({ sizes, activations, init, random, backend, compact });
  const X = backend.matrix(1, batchSize * train.numInputs).data; // batches in the backend's memory
  // with compaction, batches hold only their lit pixel columns, built from the bytes
  const fromBytes = compact && train.gatherCompact !== undefined;
  const loader = new BatchLoader(train, { batchSize, random, X, compact: fromBytes });
  const numBatches = loader.numBatches, totalSteps = config.epochs * numBatches;
  const losses = new Float32Array(totalSteps), epochs: EpochRecord[] = [];
  const watch = new DivergenceWatch(train.numClasses, config.stopOnDivergence);
  const stepper = strategy(mlp, { ...config, totalSteps });
  let step = 0, diverged: TrainMlpResult["diverged"] = null;
  try {
    for (let epoch = 1; epoch <= config.epochs && diverged === null; epoch++) {
      const epochStart = performance.now(), sums = { loss: 0, correct: 0, seen: 0, batch: 0 };
      for (const result of stepper.epoch(loader.epoch())) {
        losses[step++] = result.loss;
        const reason = watch.check(losses, step);
        if (reason !== null) {
          diverged = { step, epoch, reason };
          break;
        }
        sums.loss += result.loss;
        sums.correct += result.correct;
        sums.seen += result.size;
        const { loss } = result, batch = ++sums.batch;
        callbacks.onBatch?.({ epoch, batch, numBatches, step, totalSteps, loss });
      }
      if (diverged !== null) break;
      const trainSeconds = (performance.now() - epochStart) / 1000;
      const trainLoss = sums.loss / sums.batch, trainAccuracy = sums.correct / sums.seen;
      const evaluation = scoreEpoch(stepper.network(), data, config);
      const record = { epoch, trainLoss, trainAccuracy, ...evaluation, trainSeconds };
      epochs.push(record);
      callbacks.onEpoch?.(record);
    }
  } finally {
    stepper.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { config, mlp, batchLosses: losses.slice(0, step), epochs, diverged, seconds };
}

/** The scores after an epoch: on the training set's first examples and the evaluation set. */
function scoreEpoch(
  mlp: Mlp,
  data: { train: LabelledSource; eval: LabelledSource },
  config: TrainMlpConfig,
): Pick<EpochRecord, "trainEvalLoss" | "trainEvalAccuracy" | "evalLoss" | "evalAccuracy"> {
  const none = { loss: NaN, accuracy: NaN };
  const { loss: evalLoss, accuracy: evalAccuracy } = config.evaluateEachEpoch
    ? evaluate(mlp, data.eval)
    : none;
  const { loss: trainEvalLoss, accuracy: trainEvalAccuracy } = config.trainEvalSize > 0
    ? evaluate(mlp, data.train, { limit: config.trainEvalSize })
    : none;
  return { trainEvalLoss, trainEvalAccuracy, evalLoss, evalAccuracy };
}
