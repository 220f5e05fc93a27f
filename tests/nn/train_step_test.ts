// The fused training step against the dense reference it replaces: Mlp.trainStep (the gradient
// folded into the update's gemm; with compaction only the first layer's rows of lit pixels
// touched) must equal forward + backward + applyGradients, step after step, on real MNIST
// batches, for compaction on and off, momentum 0 and 0.9, and every schedule, on every backend.
// Tolerance: after every step, max |difference| of every weight and bias ≤ 1e-5 of the largest
// magnitude of that parameter (float32 rounding in a different order; measured ≤ 4e-7 absolute
// after 10 steps), losses within 1e-5, and the same number classified right.
import { assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { Mlp } from "../../lib/nn/mlp.ts";
import type { ScheduleName } from "../../lib/nn/optimizer.ts";
import { Sgd } from "../../lib/nn/sgd.ts";
import type { Backend } from "../../lib/tensor/backend.ts";
import { assertMatrixClose, type MnistBatch, mnistBatches, testEachBackend } from "./_helpers.ts";

const RTOL = 1e-5;

interface Case {
  sizes: number[];
  compact: boolean;
  momentum: number;
  schedule: ScheduleName;
}

/** Runs both paths from the same weights over the batches, comparing after every step. */
function compare(backend: Backend, batches: MnistBatch[], c: Case): void {
  const where = `sizes ${c.sizes.join("-")}, compact ${c.compact}, momentum ${c.momentum}, ` +
    `${c.schedule}`;
  const fused = Mlp.init({ sizes: c.sizes, random: 5, backend, compact: c.compact });
  const reference = fused.clone();
  reference.compact = false;
  const options = { lr: 0.5, momentum: c.momentum, schedule: c.schedule };
  const sgdFused = new Sgd({ ...options, totalSteps: batches.length + 2 });
  const sgdReference = new Sgd({ ...options, totalSteps: batches.length + 2 });
  batches.forEach(({ X, labels }, step) => {
    const a = fused.trainStep(X, labels, sgdFused);
    reference.forward(X);
    const b = reference.backward(labels);
    reference.applyGradients(b.grads, sgdReference);
    const at = `${where}, step ${step + 1}`;
    assertAlmostEquals(a.loss, b.loss, RTOL, at);
    assertEquals(a.correct, b.correct, at);
    fused.weights.forEach((W, l) =>
      assertMatrixClose(W, reference.weights[l], RTOL, `W_${l} ${at}`)
    );
    fused.biases.forEach((v, l) => assertMatrixClose(v, reference.biases[l], RTOL, `b_${l} ${at}`));
  });
  assertEquals(sgdFused.steps, batches.length);
  assertEquals(sgdReference.steps, batches.length);
}

/** Six batches of 50 with one of 17 in the middle (another workspace, as an epoch's last). */
async function batchesWithShortOne(): Promise<MnistBatch[]> {
  const full = await mnistBatches(6, { batchSize: 50, seed: 2 });
  const [short] = await mnistBatches(1, { batchSize: 17, seed: 3 });
  return [...full.slice(0, 3), short, ...full.slice(3)];
}

testEachBackend(
  "Mlp.trainStep() equals forward + backward + applyGradients, compaction on and off, momentum 0 and 0.9",
  async (backend) => {
    const batches = await batchesWithShortOne();
    for (const compact of [true, false]) {
      for (const momentum of [0, 0.9]) {
        compare(backend, batches, {
          sizes: [784, 100, 10],
          compact,
          momentum,
          schedule: "constant",
        });
      }
    }
  },
);

testEachBackend(
  "Mlp.trainStep() equals the reference under the linear and cosine schedules",
  async (backend) => {
    const batches = await batchesWithShortOne();
    compare(backend, batches, {
      sizes: [784, 100, 10],
      compact: true,
      momentum: 0,
      schedule: "linear",
    });
    compare(backend, batches, {
      sizes: [784, 100, 10],
      compact: true,
      momentum: 0.9,
      schedule: "cosine",
    });
    compare(backend, batches, {
      sizes: [784, 100, 10],
      compact: false,
      momentum: 0.9,
      schedule: "linear",
    });
  },
);

testEachBackend(
  "Mlp.trainStep() equals the reference for the full 784-300-10 network and a deeper one",
  async (backend) => {
    const batches = (await batchesWithShortOne()).slice(0, 4);
    compare(backend, batches, {
      sizes: [784, 300, 10],
      compact: true,
      momentum: 0.9,
      schedule: "constant",
    });
    compare(backend, batches, {
      sizes: [784, 64, 32, 10],
      compact: true,
      momentum: 0.9,
      schedule: "cosine",
    });
    compare(backend, batches, {
      sizes: [784, 64, 32, 10],
      compact: false,
      momentum: 0,
      schedule: "constant",
    });
  },
);

testEachBackend(
  "Mlp.trainStep() with compaction leaves the rows of unlit pixels alone without momentum",
  async (backend) => {
    const [{ X, labels }] = await mnistBatches(1, { batchSize: 50, seed: 9 });
    const mlp = Mlp.init({ sizes: [784, 100, 10], random: 6, backend });
    const before = mlp.weights[0].clone();
    mlp.trainStep(X, labels, new Sgd({ lr: 0.5 }));
    let unlit = 0, changed = 0;
    for (let r = 0; r < 784; r++) {
      let lit = false;
      for (let i = 0; i < X.rows; i++) lit ||= X.get(i, r) !== 0;
      const row = (m: typeof before) => m.data.subarray(r * 100, (r + 1) * 100);
      if (!lit) {
        unlit++;
        assertEquals(row(mlp.weights[0]), row(before), `row ${r}`);
      } else if (row(mlp.weights[0]).some((w, j) => w !== row(before)[j])) {
        changed++;
      }
    }
    assertLess(0, unlit); // MNIST's borders are blank in every image of a batch
    assertLess(0, changed);
  },
);
