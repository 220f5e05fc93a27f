// The MLP's dense reference path (forward, backward, Optimizer.step) against independent oracles:
// the scalar network (plain float64 loops) for one instance, central differences of a float64
// forward pass for every parameter of small networks and a sample of the 784-300-10 one, the mean
// of per-instance gradients for a batch, and the other backends. Tolerance: float32 against
// float64, max |difference| ≤ 1e-5 of the largest expected magnitude (RTOL of the tensor tests).
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { Mlp } from "../../lib/nn/mlp.ts";
import { Sgd } from "../../lib/nn/sgd.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { ACTIVATION_NAMES } from "../../lib/tensor/activation.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import {
  assertArrayClose,
  assertMatrixClose,
  BACKENDS,
  centralDifference64,
  Matrix,
  meanLoss64,
  mnistBatches,
  params64,
  Random,
  randomBatch,
  testEachBackend,
} from "./_helpers.ts";

const RTOL = 1e-5;

// ---------------------------------------------------------------------------------------------
// shapes and errors

Deno.test("Mlp() throws a RangeError naming the shapes when the layers do not chain", () => {
  const W = (rows: number, cols: number) => new Matrix(rows, cols);
  assertThrows(
    () => new Mlp({ weights: [W(4, 3)], biases: [] }),
    RangeError,
    "Expected as many bias rows as weight matrices (at least one) but found 1 weights and 0 biases",
  );
  assertThrows(
    () => new Mlp({ weights: [], biases: [] }),
    RangeError,
    "found 0 weights and 0 biases",
  );
  assertThrows(
    () => new Mlp({ weights: [W(4, 3), W(2, 2)], biases: [W(1, 3), W(1, 2)] }),
    RangeError,
    "Expected W_1 to have 3 rows to follow the previous layer but found 2",
  );
  assertThrows(
    () => new Mlp({ weights: [W(4, 3), W(3, 2)], biases: [W(1, 3), W(1, 3)] }),
    RangeError,
    "Expected b_1 to be (1, 2) but found (1, 3)",
  );
  assertThrows(
    () => new Mlp({ weights: [W(4, 3)], biases: [W(3, 1)] }),
    RangeError,
    "Expected b_0 to be (1, 3) but found (3, 1)",
  );
});

Deno.test("Mlp.init() throws a RangeError for fewer than two sizes or sizes below 1", () => {
  for (const sizes of [[784], [784, 0, 10], [784, 2.5, 10], []]) {
    assertThrows(
      () => Mlp.init({ sizes, random: 0 }),
      RangeError,
      `Expected sizes to be at least two integers of at least 1 but found [${sizes.join(", ")}]`,
    );
  }
});

Deno.test("Mlp.init() makes W_l (n_l, n_{l+1}) and zero b_l (1, n_{l+1}) for every layer", () => {
  const mlp = Mlp.init({ sizes: [6, 5, 4, 3], random: 2, backend: jsBackend });
  assertEquals(mlp.sizes, [6, 5, 4, 3]);
  assertEquals(mlp.numLayers, 3);
  assertEquals(mlp.weights.map((W) => W.shape), [[6, 5], [5, 4], [4, 3]]);
  assertEquals(mlp.biases.map((b) => b.shape), [[1, 5], [1, 4], [1, 3]]);
  assert(mlp.biases.every((b) => b.data.every((v) => v === 0)));
  assertEquals(Mlp.init({ random: 0 }).sizes, [784, 300, 10]);
  assertEquals(mlp.compact, true);
  assertEquals(Mlp.init({ sizes: [2, 2], random: 0, compact: false }).compact, false);
});

testEachBackend("Mlp.forward() throws a RangeError when X does not have n_0 columns", (backend) => {
  const mlp = Mlp.init({ sizes: [4, 3, 2], random: 0, backend });
  assertThrows(
    () => mlp.forward(new Matrix(2, 5)),
    RangeError,
    "Cannot forward: X is (2, 5) but the network takes 4 inputs",
  );
});

Deno.test("Mlp.backward() and probabilities() before any forward pass throw a TypeError", () => {
  const mlp = Mlp.init({ sizes: [4, 3, 2], random: 0, backend: jsBackend });
  assertThrows(() => mlp.backward([0]), TypeError, "Cannot backward: no forward pass has run yet");
  assertThrows(
    () => mlp.probabilities(),
    TypeError,
    "Cannot probabilities: no forward pass has run yet",
  );
});

testEachBackend(
  "Mlp throws a RangeError for labels out of range or of the wrong count",
  (backend) => {
    const mlp = Mlp.init({ sizes: [4, 3, 2], random: 0, backend });
    const X = Matrix.from([[1, 0, 0, 1], [0, 1, 1, 0]]);
    mlp.forward(X);
    assertThrows(
      () => mlp.backward([0, 2]),
      RangeError,
      "Cannot backward: expected labels to be integers from 0 to 1 but found 2 at index 1",
    );
    assertThrows(
      () => mlp.backward([-1, 0]),
      RangeError,
      "expected labels to be integers from 0 to 1 but found -1 at index 0",
    );
    assertThrows(() => mlp.backward([0.5, 0]), RangeError, "found 0.5 at index 0");
    assertThrows(
      () => mlp.backward([0]),
      RangeError,
      "Cannot backward: expected 2 labels for a batch of 2 but found 1",
    );
    assertThrows(
      () => mlp.evaluateBatch(X, [1, 7]),
      RangeError,
      "Cannot evaluateBatch: expected labels to be integers from 0 to 1 but found 7 at index 1",
    );
    // a train step with a bad label changes nothing
    const before = mlp.clone();
    const sgd = new Sgd(mlp, { lr: 0.1 });
    assertThrows(
      () => mlp.trainStep(X, [0, 3], { optimizer: sgd }),
      RangeError,
      "Cannot trainStep: expected labels to be integers from 0 to 1 but found 3 at index 1",
    );
    assertEquals(sgd.steps, 0);
    mlp.weights.forEach((W, l) => assertEquals(W.data, before.weights[l].data));
    mlp.biases.forEach((b, l) => assertEquals(b.data, before.biases[l].data));
  },
);

// ---------------------------------------------------------------------------------------------
// one instance: the scalar network

/** The scalar network with a 2-layer MLP's weights, as float64 arrays. */
function scalarOf(mlp: Mlp): ScalarNetwork {
  return new ScalarNetwork({
    W: mlp.weights[0].toArray(),
    b: Array.from(mlp.biases[0].data),
    V: mlp.weights[1].toArray(),
    c: Array.from(mlp.biases[1].data),
  });
}

testEachBackend(
  "Mlp.forward() and backward() give one MNIST image the scalar network's loss and gradients",
  async (backend) => {
    const [{ X, labels }] = await mnistBatches(1, { batchSize: 1 });
    for (const compact of [true, false]) {
      const mlp = Mlp.init({ random: 11, backend, compact });
      // small nonzero biases, so that their gradients are checked through them too
      const random = new Random(12);
      for (const b of mlp.biases) b.data.forEach((_, j) => b.data[j] = random.normal(0, 0.1));
      const net = scalarOf(mlp);
      const pass = net.forward(Array.from(X.data), labels[0]);
      const expected = net.backward(pass);
      const logits = mlp.forward(X);
      const { loss, grads } = mlp.backward(labels);
      assertArrayClose(logits.data, pass.o, RTOL, "logits");
      assertAlmostEquals(loss, pass.loss, RTOL * Math.max(1, pass.loss));
      assertMatrixClose(grads.dW[0], Matrix.from(expected.dW), RTOL, "dW");
      assertArrayClose(grads.db[0].data, expected.db, RTOL, "db");
      assertMatrixClose(grads.dW[1], Matrix.from(expected.dV), RTOL, "dV");
      assertArrayClose(grads.db[1].data, expected.dc, RTOL, "dc");
    }
  },
);

// ---------------------------------------------------------------------------------------------
// finite differences

testEachBackend(
  "Mlp.backward() agrees with central differences through the scalar network, every parameter of a 5-4-3 network",
  (backend) => {
    const random = new Random(21);
    const mlp = Mlp.init({ sizes: [5, 4, 3], random, backend });
    for (const b of mlp.biases) b.data.forEach((_, j) => b.data[j] = random.normal(0, 0.5));
    const { X, labels } = randomBatch(random, 7, mlp.sizes);
    mlp.forward(X);
    const { grads } = mlp.backward(labels);
    const net = scalarOf(mlp);
    const rows = X.toArray();
    const meanLoss = () =>
      rows.reduce((s, x, i) => s + net.forward(x, labels[i]).loss, 0) / rows.length;
    const numerical = {
      W: centralDifference(meanLoss, net.W).flat(),
      b: centralDifference(meanLoss, net.b),
      V: centralDifference(meanLoss, net.V).flat(),
      c: centralDifference(meanLoss, net.c),
    };
    assertArrayClose(grads.dW[0].data, numerical.W, RTOL, "dW");
    assertArrayClose(grads.db[0].data, numerical.b, RTOL, "db");
    assertArrayClose(grads.dW[1].data, numerical.V, RTOL, "dV");
    assertArrayClose(grads.db[1].data, numerical.c, RTOL, "dc");
  },
);

for (const activation of ACTIVATION_NAMES) {
  for (const sizes of [[6, 5, 3], [6, 5, 4, 3]]) {
    testEachBackend(
      `Mlp.backward() agrees with central differences, ${activation} hidden layers, ${
        sizes.join("-")
      }`,
      (backend) => {
        const random = new Random(23);
        const mlp = Mlp.init({ sizes, random, backend, activations: activation });
        for (const b of mlp.biases) b.data.forEach((_, j) => b.data[j] = random.normal(0, 0.5));
        const { X, labels } = randomBatch(random, 9, mlp.sizes);
        mlp.forward(X);
        const { loss, grads } = mlp.backward(labels);
        const p = params64(mlp);
        const f = () => meanLoss64(p, X, labels);
        assertAlmostEquals(loss, f(), RTOL);
        const all = (n: number) => Array.from({ length: n }, (_, i) => i);
        for (let l = 0; l < mlp.numLayers; l++) {
          const dW = centralDifference64(f, p.weights[l], all(p.weights[l].length));
          const db = centralDifference64(f, p.biases[l], all(p.biases[l].length));
          assertArrayClose(grads.dW[l].data, dW, RTOL, `dW_${l}`);
          assertArrayClose(grads.db[l].data, db, RTOL, `db_${l}`);
        }
      },
    );
  }
}

/** Finite differences of a sample of the 784-300-10 network's parameters, computed once. */
const sampled = (async () => {
  const [{ X, labels }] = await mnistBatches(1, { batchSize: 4, seed: 3 });
  const mlp = Mlp.init({ random: 31, backend: jsBackend });
  const random = new Random(32);
  for (const b of mlp.biases) b.data.forEach((_, j) => b.data[j] = random.normal(0, 0.1));
  const p = params64(mlp);
  const f = () => meanLoss64(p, X, labels);
  // W_0: rows of pixels lit in the batch (the others' gradients are exactly 0), and a few others
  const lit = Array.from({ length: 784 }, (_, r) => r)
    .filter((r) => labels.some((_, i) => X.get(i, r) !== 0));
  const pick = (n: number, count: number) => Array.from({ length: count }, () => random.integer(n));
  const indices = {
    W0: [
      ...Array.from(
        { length: 30 },
        () => lit[random.integer(lit.length)] * 300 + random.integer(300),
      ),
      ...pick(784 * 300, 5),
    ],
    b0: pick(300, 20),
    W1: pick(300 * 10, 30),
    b1: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  };
  const numerical = {
    W0: centralDifference64(f, p.weights[0], indices.W0),
    b0: centralDifference64(f, p.biases[0], indices.b0),
    W1: centralDifference64(f, p.weights[1], indices.W1),
    b1: centralDifference64(f, p.biases[1], indices.b1),
  };
  return { mlp, X, labels, indices, numerical, loss: f() };
})();

testEachBackend(
  "Mlp.backward() agrees with central differences on a sample of the 784-300-10 network's parameters",
  async (backend) => {
    const { mlp, X, labels, indices, numerical, loss } = await sampled;
    const net = mlp.clone({ backend });
    net.forward(X);
    const result = net.backward(labels);
    assertAlmostEquals(result.loss, loss, RTOL);
    const { dW, db } = result.grads;
    const at = (m: Matrix, idx: number[]) => idx.map((i) => m.data[i]);
    assertArrayClose(at(dW[0], indices.W0), numerical.W0, RTOL, "dW_0 sample");
    assertArrayClose(at(db[0], indices.b0), numerical.b0, RTOL, "db_0 sample");
    assertArrayClose(at(dW[1], indices.W1), numerical.W1, RTOL, "dW_1 sample");
    assertArrayClose(at(db[1], indices.b1), numerical.b1, RTOL, "db_1");
    assertGreater(Math.max(...numerical.W0.map(Math.abs)), 1e-4); // the sample is not all zeros
  },
);

// ---------------------------------------------------------------------------------------------
// a batch is the mean of its instances

testEachBackend(
  "Mlp.backward() of a batch is the mean of its instances' gradients",
  async (backend) => {
    const [{ X, labels }] = await mnistBatches(1, { batchSize: 20, seed: 4 });
    const mlp = Mlp.init({ random: 41, backend });
    mlp.forward(X);
    const batched = mlp.backward(labels);
    const B = X.rows;
    const sumW = mlp.weights.map((W) => new Float64Array(W.size));
    const sumB = mlp.biases.map((b) => new Float64Array(b.size));
    let lossSum = 0, correctSum = 0;
    for (let i = 0; i < B; i++) {
      mlp.forward(X.sliceRows(i, i + 1));
      const one = mlp.backward(labels.subarray(i, i + 1));
      lossSum += one.loss;
      correctSum += one.correct;
      one.grads.dW.forEach((g, l) => g.data.forEach((v, k) => sumW[l][k] += v));
      one.grads.db.forEach((g, l) => g.data.forEach((v, k) => sumB[l][k] += v));
    }
    assertAlmostEquals(batched.loss, lossSum / B, RTOL);
    assertEquals(batched.correct, correctSum);
    for (let l = 0; l < mlp.numLayers; l++) {
      assertArrayClose(batched.grads.dW[l].data, sumW[l].map((v) => v / B), RTOL, `dW_${l}`);
      assertArrayClose(batched.grads.db[l].data, sumB[l].map((v) => v / B), RTOL, `db_${l}`);
    }
  },
);

// ---------------------------------------------------------------------------------------------
// backends and compaction

Deno.test("Mlp gives the same logits, loss and gradients on every backend", async () => {
  const [{ X, labels }] = await mnistBatches(1, { batchSize: 50, seed: 5 });
  const reference = Mlp.init({ random: 51, backend: jsBackend });
  const logits = reference.forward(X).clone();
  const expected = reference.backward(labels);
  for (const backend of BACKENDS) {
    for (const compact of [true, false]) {
      const mlp = reference.clone({ backend });
      mlp.compact = compact;
      assertStrictEquals(mlp.backend, backend);
      const where = `${backend.name}, compact ${compact}`;
      assertMatrixClose(mlp.forward(X), logits, RTOL, `logits on ${where}`);
      const { loss, correct, grads } = mlp.backward(labels);
      assertAlmostEquals(loss, expected.loss, RTOL);
      assertEquals(correct, expected.correct);
      grads.dW.forEach((g, l) =>
        assertMatrixClose(g, expected.grads.dW[l], RTOL, `dW_${l} ${where}`)
      );
      grads.db.forEach((g, l) =>
        assertMatrixClose(g, expected.grads.db[l], RTOL, `db_${l} ${where}`)
      );
    }
  }
});

// ---------------------------------------------------------------------------------------------
// one SGD step

testEachBackend(
  "one SGD step lowers the loss on a fixed batch, by about lr·‖g‖²",
  async (backend) => {
    const [{ X, labels }] = await mnistBatches(1, { batchSize: 50, seed: 7 });
    for (const lr of [0.001, 0.1]) {
      const mlp = Mlp.init({ random: 71, backend });
      mlp.forward(X);
      const { loss: before, grads } = mlp.backward(labels);
      let squared = 0;
      for (const g of [...grads.dW, ...grads.db]) for (const v of g.data) squared += v * v;
      new Sgd(mlp, { lr }).step(grads);
      const after = mlp.evaluateBatch(X, labels).loss;
      assertLess(after, before);
      if (lr === 0.001) {
        // first order: l(θ − lr·g) ≈ l(θ) − lr·‖g‖² for a small step
        assertAlmostEquals((before - after) / (lr * squared), 1, 0.02);
      }
    }
  },
);

testEachBackend(
  "Sgd.step() steps p ← p − lr·g, or v ← μv + g, p ← p − lr·v",
  (backend) => {
    const mlp = new Mlp({
      weights: [Matrix.from([[1, 2]])],
      biases: [Matrix.from([[0.5, -0.5]])],
    }, { backend });
    const grads = { dW: [Matrix.from([[1, -1]])], db: [Matrix.from([[2, 0]])] };
    const plain = mlp.clone();
    new Sgd(plain, { lr: 0.5 }).step(grads);
    assertEquals(plain.weights[0].toArray(), [[0.5, 2.5]]);
    assertEquals(plain.biases[0].toArray(), [[-0.5, -0.5]]);
    const sgd = new Sgd(mlp, { lr: 0.5, momentum: 0.5 });
    sgd.step(grads); // v = g, p = p − 0.5 g
    sgd.step(grads); // v = 1.5 g, p = p − 0.75 g
    assertEquals(sgd.steps, 2);
    assertEquals(mlp.weights[0].toArray(), [[-0.25, 3.25]]);
    assertEquals(mlp.biases[0].toArray(), [[-2, -0.5]]);
  },
);

// ---------------------------------------------------------------------------------------------
// prediction, probabilities, clone

testEachBackend(
  "Mlp.predict() is the largest logit and probabilities() its softmax",
  async (backend) => {
    const [{ X }] = await mnistBatches(1, { batchSize: 30, seed: 8 });
    const mlp = Mlp.init({ random: 81, backend });
    const logits = mlp.forward(X).toArray();
    const P = mlp.probabilities();
    assertEquals(P.shape, [30, 10]);
    logits.forEach((row, i) => {
      const max = Math.max(...row);
      const sum = row.reduce((s, o) => s + Math.exp(o - max), 0);
      row.forEach((o, j) => assertAlmostEquals(P.get(i, j), Math.exp(o - max) / sum, 1e-6));
    });
    const predicted = mlp.predict(X);
    assertEquals([...predicted], logits.map((row) => row.indexOf(Math.max(...row))));
  },
);

Deno.test("Mlp.clone() copies every weight, keeps compaction, and may change the backend", () => {
  const mlp = Mlp.init({ sizes: [3, 2, 2], random: 9, backend: jsBackend, compact: false });
  const copy = mlp.clone({ backend: BACKENDS.at(-1) });
  assertStrictEquals(copy.backend, BACKENDS.at(-1));
  assertEquals(copy.compact, false);
  copy.weights.forEach((W, l) => {
    assert(W.data !== mlp.weights[l].data);
    assertEquals(W.data, mlp.weights[l].data);
  });
  copy.weights[0].set(0, 0, 100);
  assert(mlp.weights[0].get(0, 0) !== 100);
});
