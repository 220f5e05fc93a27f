/**
 * The MNIST widget's run, one event at a time: trainMlp's run (trainConfigured on one core, at
 * RUN_OPTIONS' defaults: the 784-300-10 network, sigmoid, N(0, 1/fan-in), plain SGD at a constant
 * rate, compacted batches, stopped on divergence, the validation set scored after each epoch),
 * from the same library modules, in the same order: the same weights and losses as trainMlp's on
 * the same backend (tests/browser/mnist_widget_test.ts holds them). trainMlp itself is not
 * browser-safe: it can start a .ts Worker and asks Deno for the machine's memory.
 *
 * @module
 */

import { BatchLoader, evaluate, Mlp, oneCore, Random } from "../browser.ts";
import type { Batch } from "../data/batch_loader.ts";
import type { Backend } from "../tensor/backend.ts";
import { DivergenceWatch } from "../nn/divergence.ts";
import type { MnistSubset } from "./_mnist_subset.ts";

/** A run's settings: what trainMlp is given. */
export interface MnistRunSettings {
  lr: number;
  batchSize: number;
  epochs: number;
  seed: number;
}

/**
 * The output layer's step in the run's own numbers: the softmax y of the batch's first image and
 * its class, the batch's mean y − t, and the output bias c before and after (c − η·that mean).
 */
export type MnistStepMath =
  & { lr: number; target: number }
  & Record<"y" | "meanError" | "biasBefore" | "biasAfter", number[]>;

/** What a run reports: each batch's loss (and its math, when shown), each epoch's scores, or a divergence. */
export type MnistRunEvent =
  | { type: "batch"; step: number; loss: number; math?: MnistStepMath }
  | {
    type: "epoch";
    epoch: number;
    trainLoss: number;
    evalLoss: number;
    evalAccuracy: number;
    trainSeconds: number;
  }
  | { type: "diverged"; step: number; reason: string };

/**
 * Trains the network on the subset's training images, yielding after every batch and epoch.
 *
 * @param data The training and validation images.
 * @param settings The rate, batch size, epochs and seed.
 * @param backend The backend of the products.
 * @returns The events; the generator's value is the trained network.
 */
export function* mnistRun(
  data: MnistSubset,
  settings: MnistRunSettings,
  backend: Backend,
): Generator<MnistRunEvent, Mlp, undefined> {
  const { lr, batchSize, epochs, seed } = settings, { train, validation } = data;
  const random = new Random(seed);
  const mlp = Mlp.init({ sizes: [train.numInputs, 300, train.numClasses], random, backend });
  const X = backend.matrix(1, batchSize * train.numInputs).data; // in the backend's memory
  const loader = new BatchLoader(train, { batchSize, random, X, compact: true });
  const totalSteps = epochs * loader.numBatches, losses = new Float32Array(totalSteps);
  const stepper = oneCore(mlp, {
    optimizer: "sgd",
    lr,
    momentum: 0,
    schedule: "constant",
    loss: "crossEntropy",
    batchSize,
    totalSteps,
  });
  const watch = new DivergenceWatch(train.numClasses, true);
  const bias = () => Array.from(mlp.biases[mlp.numLayers - 1].data);
  let step = 0, biasBefore = bias(), labels: ArrayLike<number> = [];
  const math = (): MnistStepMath => {
    const P = mlp.probabilities(), B = P.rows, n = P.cols, y = Array.from(P.data.subarray(0, n));
    const meanError = y.map((_, k) => {
      let sum = 0;
      for (let i = 0; i < B; i++) sum += P.data[i * n + k] - +(labels[i] === k);
      return sum / B;
    });
    return { lr, target: labels[0], y, meanError, biasBefore, biasAfter: bias() };
  };
  function* remembered(batches: Iterable<Batch>) { // each batch's labels, for math()
    for (const batch of batches) yield (labels = batch.y, batch);
  }
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0, batches = 0;
    for (const { loss } of stepper.epoch(remembered(loader.epoch()))) {
      losses[step++] = loss;
      const reason = watch.check(losses, step);
      if (reason !== null) {
        yield { type: "diverged", step, reason };
        return mlp;
      }
      lossSum += loss;
      batches++;
      const shown = step % 10 === 0 || step === totalSteps; // the math of every tenth and the last
      yield { type: "batch", step, loss, ...(shown ? { math: math() } : {}) };
      biasBefore = bias();
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const { loss: evalLoss, accuracy: evalAccuracy } = evaluate(mlp, validation);
    yield {
      type: "epoch",
      epoch,
      trainLoss: lossSum / batches,
      evalLoss,
      evalAccuracy,
      trainSeconds,
    };
  }
  return mlp;
}
