// The training loop: options checked before any work, the accuracy target (one epoch on
// 5,000 MNIST training images, at least 85% on 1,000 held-out ones, fixed seed), divergence
// reported, and the same seed giving the same run, on every backend.
import {
  assert,
  assertEquals,
  assertGreaterOrEqual,
  assertLess,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { evaluate } from "../../lib/nn/evaluate.ts";
import type { ActivationName } from "../../lib/tensor/activation.ts";
import type { InitName } from "../../lib/nn/init.ts";
import type { OptimizerName } from "../../lib/nn/optimizer.ts";
import type { LossName } from "../../lib/nn/loss.ts";
import type { ScheduleName } from "../../lib/nn/optimizer.ts";
import {
  type LabelledSource,
  resolveTrainMlpConfig,
  trainMlp,
  type TrainMlpOptions,
} from "../../lib/nn/train_mlp.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { smallMnist, testEachBackend } from "./_helpers.ts";

/** A data set that fails the test if anything reads it. */
const untouchable: LabelledSource = {
  count: 100,
  numInputs: 4,
  numClasses: 2,
  gather() {
    throw new Error("the data was read before the options were checked");
  },
};

Deno.test("resolveTrainMlpConfig() fills in every default and names the backend", () => {
  assertEquals(resolveTrainMlpConfig({ lr: 0.1, seed: 3, backend: jsBackend }), {
    lr: 0.1,
    seed: 3,
    epochs: 5,
    batchSize: 50,
    hidden: [300],
    activation: "sigmoid",
    optimizer: "sgd",
    momentum: 0,
    schedule: "constant",
    init: "fanIn",
    loss: "crossEntropy",
    stopOnDivergence: true,
    trainEvalSize: 0,
    compact: true,
    evaluateEachEpoch: true,
    backend: "js",
  });
});

Deno.test("trainMlp() throws a RangeError naming a bad option before any work", () => {
  const cases: [Partial<TrainMlpOptions>, string][] = [
    [{ lr: 0 }, "Expected lr to be a finite number greater than 0 but found 0"],
    [{ lr: NaN }, "Expected lr to be a finite number greater than 0 but found NaN"],
    [{ lr: Infinity }, "Expected lr to be a finite number greater than 0 but found Infinity"],
    [{ seed: 1.5 }, "Expected seed to be a safe integer but found 1.5"],
    [{ epochs: 0 }, "Expected epochs to be an integer of at least 1 but found 0"],
    [{ batchSize: 2.5 }, "Expected batchSize to be an integer of at least 1 but found 2.5"],
    [
      { hidden: [300, 0] },
      "Expected hidden to be a list of one or more integers of at least 1 but found [300, 0]",
    ],
    [
      { hidden: [] },
      "Expected hidden to be a list of one or more integers of at least 1 but found []",
    ],
    [
      { activation: "softplus" as ActivationName },
      "Expected activation to be one of sigmoid, tanh, relu but found softplus",
    ],
    [
      { optimizer: "rmsprop" as OptimizerName },
      "Expected optimizer to be one of sgd, adam but found rmsprop",
    ],
    [
      { optimizer: "adam", momentum: 0.9 },
      "Expected momentum to be 0 with the adam optimizer (it keeps its own running means) but found 0.9",
    ],
    [{ momentum: 1 }, "Expected momentum to be from 0 to below 1 but found 1"],
    [{ momentum: -0.1 }, "Expected momentum to be from 0 to below 1 but found -0.1"],
    [
      { schedule: "step" as ScheduleName },
      "Expected schedule to be one of constant, linear, cosine but found step",
    ],
    [
      { init: "ones" as InitName },
      "Expected init to be one of fanIn, glorot, he, seedReport, standardNormal but found ones",
    ],
    [
      { loss: "mse" as LossName },
      "Expected loss to be one of crossEntropy, seedReport but found mse",
    ],
    [
      { stopOnDivergence: "no" as unknown as boolean },
      "Expected stopOnDivergence to be true or false but found no",
    ],
    [{ trainEvalSize: -1 }, "Expected trainEvalSize to be an integer of at least 0 but found -1"],
  ];
  for (const [bad, message] of cases) {
    let batches = 0;
    const options = { lr: 0.1, seed: 0, onBatch: () => batches++, ...bad } as TrainMlpOptions;
    assertThrows(
      () => trainMlp({ train: untouchable, eval: untouchable }, options),
      RangeError,
      message,
    );
    assertEquals(batches, 0);
  }
});

testEachBackend(
  "trainMlp() reaches 85% on 1,000 validation images after one epoch on 5,000 (seed 0)",
  async (backend) => {
    const data = await smallMnist();
    assertEquals([data.train.count, data.eval.count], [5000, 1000]);
    const epochs: number[] = [];
    let batches = 0;
    const run = trainMlp(data, {
      lr: 0.5,
      seed: 0,
      epochs: 1,
      batchSize: 10,
      backend,
      onBatch: ({ step, totalSteps, numBatches }) => {
        batches++;
        assertEquals([step, totalSteps, numBatches], [batches, 500, 500]);
      },
      onEpoch: (record) => epochs.push(record.epoch),
    });
    assertEquals(run.diverged, null);
    assertEquals(run.batchLosses.length, 500);
    assertEquals([batches, epochs], [500, [1]]);
    assertEquals(run.config.backend, backend.name);
    const [epoch] = run.epochs;
    assertGreaterOrEqual(epoch.evalAccuracy, 0.85);
    assertLess(epoch.evalLoss, 0.6);
    assert(epoch.trainAccuracy > 0.7 && epoch.trainAccuracy <= 1);
  },
);

testEachBackend("trainMlp() with the same seed gives the same batch losses", async (backend) => {
  const { train, eval: validation } = await smallMnist();
  const data = { train: train.head(1000), eval: validation.head(200) };
  const options = { lr: 0.3, epochs: 2, batchSize: 20, hidden: [50], momentum: 0.5, backend };
  const a = trainMlp(data, { ...options, seed: 1 });
  const b = trainMlp(data, { ...options, seed: 1 });
  const c = trainMlp(data, { ...options, seed: 2 });
  assertEquals(a.batchLosses.length, 100);
  assertEquals(a.batchLosses, b.batchLosses);
  assertEquals(a.epochs.map((e) => e.evalLoss), b.epochs.map((e) => e.evalLoss));
  a.mlp.weights.forEach((W, l) => assertEquals(W.data, b.mlp.weights[l].data));
  assertNotEquals(a.batchLosses, c.batchLosses);
});

testEachBackend("trainMlp() stops at the first non-finite loss and says where", async (backend) => {
  const { train, eval: validation } = await smallMnist();
  const data = { train: train.head(500), eval: validation.head(100) };
  let batches = 0;
  const run = trainMlp(data, {
    lr: 1e38,
    seed: 0,
    epochs: 3,
    backend,
    onBatch: () => batches++,
  });
  assert(run.diverged !== null, "a learning rate of 1e38 diverged");
  const { step, epoch, reason } = run.diverged;
  assertEquals(reason, "non-finite loss");
  assertEquals(epoch, 1);
  assertEquals(run.batchLosses.length, step);
  assert(!Number.isFinite(run.batchLosses[step - 1]));
  assert(run.batchLosses.subarray(0, step - 1).every(Number.isFinite));
  assertEquals(batches, step - 1); // onBatch is not told of the diverged batch
  assertEquals(run.epochs, []);
});

testEachBackend("trainMlp() reports a run at lr 1000 as diverged", async (backend) => {
  const data = await smallMnist();
  const run = trainMlp(data, { lr: 1000, seed: 0, epochs: 1, backend });
  const last = run.batchLosses.at(-1)!;
  assert(
    run.diverged !== null,
    `lr 1000 is reported as not diverged (diverged: null), though its last batch loss is ${last} ` +
      `against ${Math.log(10).toFixed(3)} for a uniform guess and its validation accuracy ` +
      `${run.epochs[0]?.evalAccuracy}`,
  );
  assertEquals(run.diverged.reason, "exploding loss");
  assertEquals(run.batchLosses.length, run.diverged.step); // stopped at once
  assertEquals(run.epochs, []);
});

testEachBackend(
  "trainMlp() with stopOnDivergence false trains on past an exploding loss",
  async (backend) => {
    const { train, eval: validation } = await smallMnist();
    const data = { train, eval: validation.head(100) };
    // the report's start, N(1, 1): batch losses in the hundreds, far above 3 ln 10
    const options = { lr: 0.3, seed: 0, epochs: 2, init: "seedReport", backend } as const;
    const stopped = trainMlp(data, options);
    assertEquals(stopped.diverged?.reason, "exploding loss");
    const onward = trainMlp(data, { ...options, stopOnDivergence: false });
    assertEquals(onward.diverged, null);
    assertEquals(onward.batchLosses.length, 200);
    assertEquals(onward.epochs.length, 2);
    // the same run up to where the rule stopped the first
    assertEquals(onward.batchLosses.subarray(0, stopped.batchLosses.length), stopped.batchLosses);
  },
);

testEachBackend(
  "trainMlp() scores the first trainEvalSize training images after every epoch",
  async (backend) => {
    const { train, eval: validation } = await smallMnist();
    const data = { train: train.head(1000), eval: validation.head(100) };
    const options = { lr: 0.3, seed: 4, hidden: [30], trainEvalSize: 300, backend };
    const run = trainMlp(data, { ...options, epochs: 2 });
    const independent = evaluate(run.mlp, train.head(300));
    const last = run.epochs[1];
    assertEquals([last.trainEvalLoss, last.trainEvalAccuracy], [
      independent.loss,
      independent.accuracy,
    ]);
    // after one epoch: the same as a one-epoch run's network, scored independently
    const one = trainMlp(data, { ...options, epochs: 1 });
    const first = evaluate(one.mlp, train.head(300));
    assertEquals([run.epochs[0].trainEvalLoss, run.epochs[0].trainEvalAccuracy], [
      first.loss,
      first.accuracy,
    ]);
    assertNotEquals(run.epochs[0].trainEvalLoss, last.trainEvalLoss);
    const unscored = trainMlp(data, { ...options, trainEvalSize: 0, epochs: 1 });
    assert(
      Number.isNaN(unscored.epochs[0].trainEvalLoss) &&
        Number.isNaN(unscored.epochs[0].trainEvalAccuracy),
    );
  },
);
