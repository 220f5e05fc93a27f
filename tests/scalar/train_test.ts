import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreaterOrEqual,
  assertLess,
  assertThrows,
} from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { loadSynth } from "../../lib/data/synth.ts";
import { FlatScalarNetwork } from "../../lib/scalar/_flat_network.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";
import { type ScalarDataset, trainScalar } from "../../lib/scalar/train.ts";

function randomData(sizes: { n: number; numInputs: number; numOutputs: number }, seed: number) {
  const random = new Random(seed);
  const X = new Float64Array(sizes.n * sizes.numInputs).map(() => random.normal(0, 2));
  const y = new Uint8Array(sizes.n).map(() => random.integer(sizes.numOutputs));
  return { X, y };
}

for (const [numInputs, numHiddens, numOutputs] of [[2, 3, 2], [3, 5, 4]]) {
  const shape = `${numInputs}-${numHiddens}-${numOutputs}`;

  Deno.test(`FlatScalarNetwork.steps() matches ScalarNetwork forward, backward and sgdStep bit for bit (${shape})`, () => {
    const n = 300;
    const { X, y } = randomData({ n, numInputs, numOutputs }, 1);
    const reference = ScalarNetwork.init({ numInputs, numHiddens, numOutputs }, 2, { std: 1.5 });
    const flat = new FlatScalarNetwork(reference);
    const order = new Random(3).permutation(n);
    const losses = new Float64Array(n + 5);
    const lr = 0.3;
    flat.steps({ X, y, order, lr, losses: losses.subarray(5) });
    const expected: number[] = [];
    for (const row of order) {
      const x = Array.from(X.subarray(row * numInputs, (row + 1) * numInputs));
      const pass = reference.forward(x, y[row]);
      expected.push(pass.loss);
      reference.sgdStep(reference.backward(pass), lr);
    }
    // bit for bit: the same formulas in the same order (one sigmoid, y = e / sum)
    assertEquals(Array.from(losses.subarray(5)), expected);
    assertEquals(Array.from(losses.subarray(0, 5)), [0, 0, 0, 0, 0]);
    assertEquals(Array.from(flat.W), reference.W.flat());
    assertEquals(Array.from(flat.b), reference.b);
    assertEquals(Array.from(flat.V), reference.V.flat());
    assertEquals(Array.from(flat.c), reference.c);
    assertEquals(flat.toScalarNetwork(), new ScalarNetwork(flat.toScalarNetwork()));
  });

  Deno.test(`FlatScalarNetwork.evaluate() matches ScalarNetwork.forward (${shape})`, () => {
    const n = 200;
    const { X, y } = randomData({ n, numInputs, numOutputs }, 4);
    const reference = ScalarNetwork.init({ numInputs, numHiddens, numOutputs }, 5, { std: 2 });
    let loss = 0, correct = 0;
    for (let i = 0; i < n; i++) {
      const pass = reference.forward(
        Array.from(X.subarray(i * numInputs, (i + 1) * numInputs)),
        y[i],
      );
      loss += pass.loss;
      if (pass.y.indexOf(Math.max(...pass.y)) === y[i]) correct++;
    }
    const result = new FlatScalarNetwork(reference).evaluate(X, y);
    assertAlmostEquals(result.loss, loss / n, 1e-12);
    assertEquals(result.accuracy, correct / n);
  });
}

Deno.test("FlatScalarNetwork.steps() takes one step like ScalarNetwork", () => {
  const q3 = {
    W: [[1, 1, 1], [-1, -1, -1]],
    b: [0, 0, 0],
    V: [[1, 1], [-1, -1], [-1, -1]],
    c: [0, 0],
  };
  const flat = new FlatScalarNetwork(new ScalarNetwork(q3));
  const losses = new Float64Array(1);
  const X = new Float64Array([1, -1]), order = new Uint32Array([0]);
  flat.steps({ X, y: [0], order, lr: 0.1, losses });
  assertAlmostEquals(losses[0], Math.LN2, 1e-15);
  // ∂c = (−0.5, 0.5): c moves by lr · 0.5; ∂W = 0: W stays
  assertAlmostEquals(flat.c[0], 0.05, 1e-15);
  assertAlmostEquals(flat.c[1], -0.05, 1e-15);
  assertEquals(Array.from(flat.W), [1, 1, 1, -1, -1, -1]);
});

const small = loadSynth({ numTrain: 20_000, numValidation: 2_000, seed: 11 });
const full = loadSynth();

Deno.test("trainScalar() lowers the loss over the first epoch", async () => {
  const run = await trainScalar(full.train, full.validation, { epochs: 1, seed: 1 });
  const mean = (from: number, to: number) =>
    run.batchLosses.subarray(from, to).reduce((s, v) => s + v, 0) / (to - from);
  const n = full.train.y.length;
  assertLess(mean(n - 1000, n), mean(0, 1000));
  assertLess(run.evaluations.at(-1)!.loss, run.evaluations[0].loss);
});

Deno.test("trainScalar() reaches 96% validation accuracy in 5 epochs at lr 0.01", async () => {
  const run = await trainScalar(full.train, full.validation, { epochs: 5, lr: 0.01, seed: 0 });
  assertGreaterOrEqual(run.epochs[4].evalAccuracy, 0.96);
});

Deno.test("trainScalar() records every step's loss and the evaluations it promises", async () => {
  const n = small.train.y.length;
  const run = await trainScalar(small.train, small.validation, {
    epochs: 3,
    seed: 2,
    firstEpochEvaluations: 4,
  });
  assertEquals(run.batchLosses.length, 3 * n);
  assert(run.batchLosses.every((l) => Number.isFinite(l) && l >= 0));
  assertEquals(run.evaluations.map((e) => e.step), [0, n / 4, n / 2, (3 * n) / 4, n, 2 * n, 3 * n]);
  assertEquals(run.evaluations.map((e) => e.epoch), [0, 0.25, 0.5, 0.75, 1, 2, 3]);
  assertEquals(run.epochs.map((e) => e.epoch), [1, 2, 3]);
  for (const epoch of run.epochs) {
    const evaluation = run.evaluations.find((e) => e.step === epoch.epoch * n)!;
    assertEquals(epoch.evalLoss, evaluation.loss);
    assertEquals(epoch.evalAccuracy, evaluation.accuracy);
    const steps = run.batchLosses.subarray((epoch.epoch - 1) * n, epoch.epoch * n);
    assertAlmostEquals(epoch.trainLoss, steps.reduce((s, v) => s + v, 0) / n, 1e-12);
    assert(epoch.trainEvalAccuracy > 0.5 && epoch.trainEvalLoss > 0);
  }
  assertEquals(run.settings, {
    numInputs: 2,
    numHiddens: 3,
    numOutputs: 2,
    epochs: 3,
    lr: 0.01,
    seed: 2,
    numTrain: n,
    firstEpochEvaluations: 4,
    evaluateAtStart: true,
    evaluateTrain: true,
  });
});

Deno.test("trainScalar() gives the same run for the same seed", async () => {
  const options = { epochs: 2, seed: 7, numHiddens: 4, lr: 0.05 };
  const a = await trainScalar(small.train, small.validation, options);
  const b = await trainScalar(small.train, small.validation, options);
  assertEquals(a.batchLosses, b.batchLosses);
  assertEquals(a.network, b.network);
  assertEquals(a.evaluations, b.evaluations);
  const c = await trainScalar(small.train, small.validation, { ...options, seed: 8 });
  assert(a.batchLosses[0] !== c.batchLosses[0]);
});

Deno.test("trainScalar() skips the evaluations it is told to skip", async () => {
  const run = await trainScalar(small.train, small.validation, {
    epochs: 2,
    firstEpochEvaluations: 1,
    evaluateAtStart: false,
    evaluateTrain: false,
    progress: false,
  });
  const n = small.train.y.length;
  assertEquals(run.evaluations.map((e) => e.step), [n, 2 * n]);
  assert(
    Number.isNaN(run.epochs[0].trainEvalLoss) && Number.isNaN(run.epochs[1].trainEvalAccuracy),
  );
});

Deno.test("trainScalar() accepts plain arrays and more than two classes", async () => {
  const X = [0, 0, 4, 0, 0, 4, 0.2, 0.1, 3.8, 0.2, 0.1, 3.9];
  const y = [0, 1, 2, 0, 1, 2];
  const run = await trainScalar({ X, y }, { X, y }, { epochs: 300, lr: 0.3, numHiddens: 4 });
  assertEquals(run.settings.numOutputs, 3);
  assertEquals(run.epochs.at(-1)!.evalAccuracy, 1);
});

Deno.test("trainScalar() throws a RangeError naming an invalid option before any work", () => {
  const { train, validation } = small;
  const cases: [Record<string, unknown>, string][] = [
    [{ lr: -1 }, "Expected lr to be a finite number greater than 0 but found -1"],
    [{ lr: 0 }, "Expected lr to be a finite number greater than 0 but found 0"],
    [{ lr: NaN }, "Expected lr to be a finite number greater than 0 but found NaN"],
    [{ lr: Infinity }, "Expected lr to be a finite number greater than 0 but found Infinity"],
    [{ lr: "0.1" }, "Expected lr to be a finite number greater than 0 but found 0.1"],
    [{ epochs: 0 }, "Expected epochs to be an integer of at least 1 but found 0"],
    [{ epochs: 2.5 }, "Expected epochs to be an integer of at least 1 but found 2.5"],
    [{ numHiddens: 0 }, "Expected numHiddens to be an integer of at least 1 but found 0"],
    [{ numHiddens: 1.5 }, "Expected numHiddens to be an integer of at least 1 but found 1.5"],
    [
      { firstEpochEvaluations: 0 },
      "Expected firstEpochEvaluations to be an integer of at least 1 but found 0",
    ],
    [{ seed: 0.5 }, "Expected seed to be a safe integer but found 0.5"],
  ];
  for (const [options, message] of cases) {
    // a synchronous throw: no promise, no step taken
    assertThrows(() => trainScalar(train, validation, options), RangeError, message);
  }
});

Deno.test("trainScalar() throws a RangeError for data sets it cannot train on", () => {
  const empty: ScalarDataset = { X: new Float64Array(0), y: new Uint8Array(0) };
  const ok: ScalarDataset = { X: [0, 1, 1, 0], y: [0, 1] };
  assertThrows(
    () => trainScalar(empty, ok),
    RangeError,
    "Expected train to hold at least 1 point but found 0",
  );
  assertThrows(
    () => trainScalar(ok, { X: [0, 1, 1], y: [0, 1] }),
    RangeError,
    "Expected validation.X to hold a whole number (≥ 1) of inputs for each of the 2 points but found 3 values",
  );
  assertThrows(
    () => trainScalar(ok, { X: [0, 1, 1], y: [0] }),
    RangeError,
    "Expected validation points to have 2 inputs like the training points but found 3",
  );
  assertThrows(
    () => trainScalar({ X: [0, 1, 1, 0], y: [0, -1] }, ok),
    RangeError,
    "Expected train.y to hold integer classes of at least 0 but found -1 at 1",
  );
});

Deno.test("trainScalar() evaluates each step once when the set is smaller than the evaluations", async () => {
  const X = [0, 0, 3, 3, 0.1, 0.2];
  const y = [0, 1, 0];
  const run = await trainScalar({ X, y }, { X, y }, { epochs: 2, firstEpochEvaluations: 10 });
  assertEquals(run.evaluations.map((e) => e.step), [0, 1, 2, 3, 6]);
});
