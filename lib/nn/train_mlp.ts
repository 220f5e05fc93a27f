/**
 * Minibatch training of the MLP on a labelled data set (SGD or Adam, on one core or two, by a
 * step strategy), epoch by epoch, recording the loss of every batch and the evaluation after
 * every epoch.
 *
 * @module
 */

import { BatchLoader, type BatchSource } from "../data/batch_loader.ts";
import { Random } from "../data/random.ts";
import type { Backend } from "../tensor/backend.ts";
import { defaultBackend } from "../tensor/get_backend.ts";
import { evaluate } from "./evaluate.ts";
import type { ActivationName } from "../tensor/activation.ts";
import type { InitName } from "./init.ts";
import type { LossName } from "./loss.ts";
import { type DivergenceReason, DivergenceWatch } from "./divergence.ts";
import { Mlp } from "./mlp.ts";
import type { OptimizerName, ScheduleName } from "./optimizer.ts";
import { oneCore, type StepStrategy } from "./step_strategy.ts";
import { twoCores } from "./_two_core.ts";
import { OptionError } from "../options/option_rules.ts";
import { checkRunOptionPairs, RUN_OPTION_NAMES, RUN_OPTIONS } from "./run_options.ts";

/** A labelled data set with the number of classes (for instance `LabelledImages`). */
export interface LabelledSource extends BatchSource {
  /** The number of classes. */
  readonly numClasses: number;
}

/** Options of {@linkcode trainMlp}: the whole configuration of a run. */
export interface TrainMlpOptions {
  /** The base learning rate: a finite number greater than 0. */
  lr: number;
  /** The seed of the run: the weights and the shuffling are drawn from it. */
  seed: number;
  /** Epochs: passes over the training set. @default {5} */
  epochs?: number;
  /** Examples per batch. @default {50} */
  batchSize?: number;
  /** The hidden layers' sizes, e.g. [300] or [300, 100]. @default {[300]} */
  hidden?: readonly number[];
  /** The hidden layers' activation. @default {"sigmoid"} */
  activation?: ActivationName;
  /** The optimizer. @default {"sgd"} */
  optimizer?: OptimizerName;
  /** SGD's momentum μ, from 0 to below 1 (0 with Adam). @default {0} */
  momentum?: number;
  /** Learning-rate schedule over all the run's steps. @default {"constant"} */
  schedule?: ScheduleName;
  /** Weight initialisation. @default {"fanIn"} */
  init?: InitName;
  /** The loss trained on (and recorded per batch). @default {"crossEntropy"} */
  loss?: LossName;
  /**
   * Stop the run when its loss explodes (see {@linkcode TrainMlpResult.diverged}); false lets it
   * go on however high the loss, stopping only at a NaN or infinite loss. @default {true}
   */
  stopOnDivergence?: boolean;
  /**
   * After every epoch, also score the network on the first `trainEvalSize` training examples, in
   * a pass of its own with the epoch's final weights; 0 skips it. @default {0}
   */
  trainEvalSize?: number;
  /** The backend of the matrix products. @default {defaultBackend()} */
  backend?: Backend;
  /** Skip all-zero input columns in the first layer. @default {true} */
  compact?: boolean;
  /** Evaluate on the evaluation set after every epoch. @default {true} */
  evaluateEachEpoch?: boolean;
  /**
   * Cores the run trains on: 1, or 2 with the hidden units split between this thread and a
   * worker (one hidden layer, SGD and the cross-entropy only). The numbers are the one-core
   * run's, summed in another order (the same losses to 1e-5 relative, tested). @default {1}
   */
  cores?: number;
  /** Called after every batch (for progress displays). @default {undefined} */
  onBatch?: (progress: BatchProgress) => void;
  /** Called after every epoch with its record. @default {undefined} */
  onEpoch?: (record: EpochRecord) => void;
}

/** What {@linkcode TrainMlpOptions.onBatch} is told. */
export interface BatchProgress {
  /** The epoch, from 1. */
  epoch: number;
  /** The batch within the epoch, from 1. */
  batch: number;
  /** Batches per epoch. */
  numBatches: number;
  /** The step over the whole run, from 1. */
  step: number;
  /** Steps in the whole run. */
  totalSteps: number;
  /** The batch's mean loss. */
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
  /** Cross-entropy on the first trainEvalSize training examples after the epoch (NaN when not scored). */
  trainEvalLoss: number;
  /** Accuracy on the first trainEvalSize training examples after the epoch (NaN when not scored). */
  trainEvalAccuracy: number;
  /** Loss on the evaluation set after the epoch (NaN when not evaluated). */
  evalLoss: number;
  /** Accuracy on the evaluation set after the epoch (NaN when not evaluated). */
  evalAccuracy: number;
  /** Seconds spent training in this epoch (evaluation excluded). */
  trainSeconds: number;
}

/** The resolved configuration of a run, every default filled in. */
export type TrainMlpConfig =
  & Required<
    Omit<TrainMlpOptions, "backend" | "onBatch" | "onEpoch" | "cores">
  >
  & { backend: string };

/**
 * The configuration fields that the runs of a grid share: everything but the learning rate, the
 * seed and the backend (RUN_OPTIONS' `shared` ones, in its order). Each is a column of a grid's
 * runs frame.
 */
export const SHARED_RUN_FIELDS = RUN_OPTION_NAMES.filter((name) => RUN_OPTIONS[name].shared) as [
  "epochs",
  "batchSize",
  "hidden",
  "activation",
  "optimizer",
  "momentum",
  "schedule",
  "init",
  "loss",
  "stopOnDivergence",
  "trainEvalSize",
  "compact",
];

/** A field of {@linkcode SHARED_RUN_FIELDS}. */
export type SharedRunField = (typeof SHARED_RUN_FIELDS)[number];

/**
 * The shared run fields that an object (a grid's or a command's options) sets; nothing else.
 *
 * @param options Options that may hold shared run fields among others.
 * @returns The fields that are set.
 */
export function pickSharedRunFields(
  options: Partial<Pick<TrainMlpOptions, SharedRunField>>,
): Partial<Pick<TrainMlpOptions, SharedRunField>> {
  return Object.fromEntries(
    SHARED_RUN_FIELDS.filter((field) => options[field] !== undefined).map((
      field,
    ) => [field, options[field]]),
  );
}

/** Everything a run produced. */
export interface TrainMlpResult {
  /** The configuration, defaults filled in, with the backend's name. */
  config: TrainMlpConfig;
  /** The trained network. */
  mlp: Mlp;
  /** The loss of every batch, in order (shorter than planned when the run diverged). */
  batchLosses: Float32Array;
  /** One record per completed epoch. */
  epochs: EpochRecord[];
  /**
   * Where the run diverged, or null: the step at which the loss became NaN or infinite, or at
   * which the mean loss of the last `DIVERGENCE_WINDOW` batches rose above
   * `DIVERGENCE_FACTOR` × ln(numClasses) (three times the loss of a uniform guess; divergence.ts).
   */
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
  const resolved = config as Omit<TrainMlpConfig, "backend">;
  checkRunOptionPairs(resolved);
  return { ...resolved, backend: (options.backend ?? defaultBackend()).name };
}

/**
 * Trains an MLP (inputs → hidden layers → classes) with minibatches: the training set is
 * reshuffled every epoch, every batch's loss recorded, and the evaluation set scored after every
 * epoch. A loss that becomes NaN or infinite, or a running mean loss far above that of a
 * uniform guess, stops the run at once; the result says where and why.
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
 * Checks a run's core count against its configuration: 1, or 2 for one hidden layer trained by
 * SGD on the cross-entropy (what the two-core split implements).
 *
 * @param cores The core count.
 * @param config The run's configuration.
 */
export function checkCores(cores: unknown, config: TrainMlpConfig): void {
  if (cores !== 1 && (cores !== 2 || !splitsOverTwoCores(config))) {
    throw new OptionError(
      "cores",
      "1, or 2 for one hidden layer of at least 2 units trained by SGD on the cross-entropy",
      cores,
    );
  }
}

/**
 * Whether a run can take two cores: one hidden layer of at least 2 units, SGD, the cross-entropy.
 *
 * @param config The run's configuration.
 * @returns Whether `twoCores` implements it.
 */
export function splitsOverTwoCores(config: TrainMlpConfig): boolean {
  return config.hidden.length === 1 && config.hidden[0] >= 2 && config.optimizer === "sgd" &&
    config.loss === "crossEntropy";
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
 * Checks, before anything is allocated, that a network of these layer sizes fits in memory: its
 * weights and biases with two more copies of each (gradients, velocities or Adam's moments),
 * float32, against this machine's memory (or 16 GiB when it may not be asked). Throws a
 * RangeError naming `hidden` otherwise.
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
      const record = { epoch, ...scoreEpoch(stepper.network(), data, config), trainSeconds };
      record.trainLoss = sums.loss / sums.batch;
      record.trainAccuracy = sums.correct / sums.seen;
      epochs.push(record);
      callbacks.onEpoch?.(record);
    }
  } finally {
    stepper.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { config, mlp, batchLosses: losses.slice(0, step), epochs, diverged, seconds };
}

/** The evaluation after an epoch: on the evaluation set, and on the training set's first examples. */
function scoreEpoch(
  mlp: Mlp,
  data: { train: LabelledSource; eval: LabelledSource },
  config: TrainMlpConfig,
): Omit<EpochRecord, "epoch" | "trainSeconds"> {
  const none = { loss: NaN, accuracy: NaN };
  const evaluation = config.evaluateEachEpoch ? evaluate(mlp, data.eval) : none;
  const trainEvaluation = config.trainEvalSize > 0
    ? evaluate(mlp, data.train, { limit: config.trainEvalSize })
    : none;
  return {
    trainLoss: NaN,
    trainAccuracy: NaN,
    trainEvalLoss: trainEvaluation.loss,
    trainEvalAccuracy: trainEvaluation.accuracy,
    evalLoss: evaluation.loss,
    evalAccuracy: evaluation.accuracy,
  };
}
