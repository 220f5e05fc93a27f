/**
 * Q4: the training loop of the scalar network, per-instance SGD over freshly shuffled data.
 *
 * @module
 */

import { type Random, type RandomSource, toRandom } from "../data/random.ts";
import { pct } from "../report/format.ts";
import { Progress } from "../report/progress.ts";
import { FlatScalarNetwork } from "./_flat_network.ts";
import { ScalarNetwork, type ScalarNetworkSizes } from "./network.ts";
import { checkInteger, checkPositive } from "../options/option_rules.ts";

/** A classification data set for {@linkcode trainScalar}: n points and their classes. */
export interface ScalarDataset {
  /** The inputs, row by row: (n, numInputs), flat. */
  X: Float64Array | Float32Array | readonly number[];
  /** The classes, integers from 0: (n). */
  y: ArrayLike<number>;
}

/** Options of {@linkcode trainScalar}. */
export interface TrainScalarOptions {
  /** The number of sigmoid hidden units, an integer ≥ 1. @default {3} */
  numHiddens?: number;
  /** The number of passes over the training set, an integer ≥ 1. @default {5} */
  epochs?: number;
  /** The learning rate, a finite number > 0. @default {0.01} */
  lr?: number;
  /** A seed or a generator: it draws the initial weights, then every epoch's order. @default {0} */
  seed?: RandomSource;
  /** Validation passes spread evenly over the first epoch, an integer ≥ 1. @default {10} */
  firstEpochEvaluations?: number;
  /** Evaluate on the validation set before the first step too (step 0). @default {true} */
  evaluateAtStart?: boolean;
  /** Measure loss and accuracy on the whole training set at each epoch's end. @default {true} */
  evaluateTrain?: boolean;
  /** Show a live {@linkcode Progress} line (notebook, or a terminal's stderr). @default {true} */
  progress?: boolean;
  /** The progress line's label. @default {"train 2-H-2"} with the network's sizes */
  label?: string;
}

/** One validation pass during training. */
export interface ScalarEvaluation {
  /** The number of SGD steps taken before this pass. */
  step: number;
  /** The same, in epochs (step / numTrain). */
  epoch: number;
  /** The mean validation loss. */
  loss: number;
  /** The validation accuracy. */
  accuracy: number;
}

/** What one epoch ended with. */
export interface ScalarEpochRecord {
  /** The epoch, from 1. */
  epoch: number;
  /** The mean of the epoch's per-step losses (each taken before its own step). */
  trainLoss: number;
  /** The mean loss over the whole training set at the end of the epoch (NaN if not measured). */
  trainEvalLoss: number;
  /** The accuracy over the whole training set at the end of the epoch (NaN if not measured). */
  trainEvalAccuracy: number;
  /** The mean validation loss at the end of the epoch. */
  evalLoss: number;
  /** The validation accuracy at the end of the epoch. */
  evalAccuracy: number;
  /** Seconds of the epoch's steps (evaluations and pauses to draw the progress line excluded). */
  seconds: number;
}

/** The settings a run used, every default resolved (the display options left out). */
export interface TrainScalarSettings
  extends
    ScalarNetworkSizes,
    Required<Omit<TrainScalarOptions, "numHiddens" | "seed" | "progress" | "label">> {
  /** The seed (the generator's seed when one was passed). */
  seed: number;
  /** The number of training points. */
  numTrain: number;
}

/** The result of {@linkcode trainScalar}. */
export interface TrainScalarResult {
  /** The trained network. */
  network: ScalarNetwork;
  /** Every step's loss, in order, each taken before its own step: (epochs · numTrain). */
  batchLosses: Float64Array;
  /** The validation passes: at step 0, within the first epoch, and at the end of every epoch. */
  evaluations: ScalarEvaluation[];
  /** One record per epoch. */
  epochs: ScalarEpochRecord[];
  /** The settings used. */
  settings: TrainScalarSettings;
  /** Wall-clock seconds of the whole run, evaluations included. */
  seconds: number;
}

/**
 * Trains a {@linkcode ScalarNetwork} (an output per class, at least 2) by per-instance SGD over
 * each epoch's shuffled points, recording every step's loss and the validation passes. Invalid
 * options or data throw a RangeError before any promise.
 *
 * @param train The training set: X (n, numInputs), y (n).
 * @param validation The validation set: X (m, numInputs), y (m).
 * @param options Hidden size, epochs, learning rate, seed and what to record.
 * @returns The trained network, every step's loss and the evaluations.
 *
 * @example Learn the sign of x₀ + x₁
 * ```ts
 * import { trainScalar } from "./train.ts";
 * import { assertGreater } from "@std/assert";
 *
 * const X = [1, 1, -1, -1, 2, 0.5, -0.5, -2, 1, -0.5, -1, 0.5];
 * const y = [1, 0, 1, 0, 1, 0];
 * const run = await trainScalar({ X, y }, { X, y }, { epochs: 200, lr: 0.5, seed: 1 });
 * assertGreater(run.epochs.at(-1)!.evalAccuracy, 0.99);
 * ```
 */
export function trainScalar(
  train: ScalarDataset,
  validation: ScalarDataset,
  options: TrainScalarOptions = {},
): Promise<TrainScalarResult> {
  const {
    numHiddens = 3,
    epochs = 5,
    lr = 0.01,
    seed = 0,
    firstEpochEvaluations = 10,
    evaluateAtStart = true,
    evaluateTrain = true,
    progress = true,
  } = options;
  checkInteger("numHiddens", numHiddens, 1);
  checkInteger("epochs", epochs, 1);
  checkInteger("firstEpochEvaluations", firstEpochEvaluations, 1);
  checkPositive("lr", lr);
  const random = toRandom(seed);
  const { numInputs, largest } = checkDataset("train", train);
  const checked = checkDataset("validation", validation);
  if (checked.numInputs !== numInputs) {
    throw new RangeError(
      `Expected validation points to have ${numInputs} inputs like the training points but ` +
        `found ${checked.numInputs}`,
    );
  }
  const numOutputs = Math.max(2, largest + 1, checked.largest + 1);
  const settings: TrainScalarSettings = {
    numInputs,
    numHiddens,
    numOutputs,
    epochs,
    lr,
    seed: random.seed,
    numTrain: train.y.length,
    firstEpochEvaluations,
    evaluateAtStart,
    evaluateTrain,
  };
  const label = options.label ?? `train ${numInputs}-${numHiddens}-${numOutputs}`;
  const bar = progress ? new Progress({ total: epochs * train.y.length, label }) : undefined;
  return run(train, validation, { settings, random, progress: bar });
}

/** Steps between checks of the clock (progress, yielding to the event loop). */
const CHUNK = 2048;
/** Yield to the event loop at least this often (ms), so a notebook gets the progress line. */
const YIELD_INTERVAL_MS = 100;
/** The running loss on the progress line is the mean of this many last steps. */
const RUNNING_WINDOW = 1000;

async function run(
  train: ScalarDataset,
  validation: ScalarDataset,
  plan: { settings: TrainScalarSettings; random: Random; progress: Progress | undefined },
): Promise<TrainScalarResult> {
  // X is (n, numInputs) flat, y is (n); batchLosses is (epochs · n)
  const { settings, random, progress } = plan;
  const { lr, epochs: numEpochs } = settings;
  const started = performance.now();
  const { X, y } = toTyped(train);
  const valid = toTyped(validation);
  const n = y.length;

  const net = new FlatScalarNetwork(ScalarNetwork.init(settings, random));
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const batchLosses = new Float64Array(numEpochs * n);
  const evaluations: ScalarEvaluation[] = [];
  const epochs: ScalarEpochRecord[] = [];
  const evaluate = (step: number) => {
    evaluations.push({ step, epoch: step / n, ...net.evaluate(valid.X, valid.y) });
  };
  if (settings.evaluateAtStart) evaluate(0);
  let lastYield = performance.now();

  for (let epoch = 0; epoch < numEpochs; epoch++) {
    random.shuffle(order);
    // the steps after which to evaluate, distinct and ≥ 1 (a tiny set has fewer steps than passes)
    const count = epoch === 0 ? settings.firstEpochEvaluations : 1;
    const stops = new Set(
      Array.from({ length: count }, (_, k) => Math.max(1, Math.round(((k + 1) * n) / count))),
    );
    const base = epoch * n;
    const losses = batchLosses.subarray(base, base + n);
    let seconds = 0;
    let i = 0;
    for (const stop of stops) {
      const segmentStart = performance.now();
      let paused = 0;
      while (i < stop) {
        const end = Math.min(stop, i + CHUNK);
        net.steps({ X, y, order: order.subarray(i, end), lr, losses: losses.subarray(i, end) });
        i = end;
        if (progress !== undefined) {
          const now = performance.now();
          progress.update(base + i, { epoch: epoch + 1, loss: runningLoss(batchLosses, base + i) });
          if (now - lastYield >= YIELD_INTERVAL_MS) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            lastYield = performance.now();
            paused += lastYield - now;
          }
        }
      }
      seconds += (performance.now() - segmentStart - paused) / 1000;
      evaluate(base + stop);
    }
    const trainLoss = losses.reduce((sum, loss) => sum + loss, 0) / n;
    const trained = settings.evaluateTrain ? net.evaluate(X, y) : { loss: NaN, accuracy: NaN };
    const last = evaluations[evaluations.length - 1];
    epochs.push({
      epoch: epoch + 1,
      trainLoss,
      trainEvalLoss: trained.loss,
      trainEvalAccuracy: trained.accuracy,
      evalLoss: last.loss,
      evalAccuracy: last.accuracy,
      seconds,
    });
  }
  const final = epochs[epochs.length - 1];
  await progress?.done({
    "validation accuracy": pct(final.evalAccuracy),
    "validation loss": final.evalLoss,
  });
  return {
    network: net.toScalarNetwork(),
    batchLosses,
    evaluations,
    epochs,
    settings,
    seconds: (performance.now() - started) / 1000,
  };
}

function runningLoss(losses: Float64Array, end: number): number {
  const start = Math.max(0, end - RUNNING_WINDOW);
  let sum = 0;
  for (let s = start; s < end; s++) sum += losses[s];
  return sum / (end - start);
}

/** The data set in typed arrays (copied only where it is not in them already). */
function toTyped(data: ScalarDataset): { X: Float64Array; y: ArrayLike<number> } {
  const { X, y } = data;
  return {
    X: X instanceof Float64Array ? X : Float64Array.from(X),
    y: ArrayBuffer.isView(y) ? y : Uint32Array.from(y),
  };
}

/** Checks a data set's shape and classes, and returns its number of inputs and largest class. */
function checkDataset(name: string, data: ScalarDataset): { numInputs: number; largest: number } {
  const n = data.y.length;
  if (n < 1) {
    throw new RangeError(`Expected ${name} to hold at least 1 point but found ${n}`);
  }
  const numInputs = data.X.length / n;
  if (!Number.isInteger(numInputs) || numInputs < 1) {
    throw new RangeError(
      `Expected ${name}.X to hold a whole number (≥ 1) of inputs for each of the ${n} points ` +
        `but found ${data.X.length} values`,
    );
  }
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const label = data.y[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new RangeError(
        `Expected ${name}.y to hold integer classes of at least 0 but found ${label} at ${i}`,
      );
    }
    if (label > largest) largest = label;
  }
  return { numInputs, largest };
}
