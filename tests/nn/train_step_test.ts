// The fused training step against the dense reference it replaces: Mlp.trainStep (for SGD the
// gradient folded into the update's gemm, with compaction only the first layer's rows of lit
// pixels touched; for Adam the backend's adam primitive after the gradient's gemm) must equal
// forward + backward + Optimizer.step, step after step, on real MNIST batches, for compaction on
// and off, momentum 0 and 0.9, Adam, and every schedule, on every backend;
// and the same from batches given already compacted (CompactInputs, as trainMlp's loader builds
// them from the bytes), through trainStep's SGD route and backward's.
// Tolerance: after every step, max |difference| of every weight and bias ≤ 1e-5 of the largest
// magnitude of that parameter (float32 rounding in a different order; measured ≤ 4e-7 absolute
// after 10 steps), losses within 1e-5, and the same number classified right.
import { assert, assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
import type { CompactInputs } from "../../lib/nn/input_product.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { Adam } from "../../lib/nn/adam.ts";
import { Matrix } from "../../lib/tensor/matrix.ts";
import type { ScheduleName } from "../../lib/nn/optimizer.ts";
import { Sgd } from "../../lib/nn/sgd.ts";
import type { Backend } from "../../lib/tensor/backend.ts";
import { assertMatrixClose, type MnistBatch, mnistBatches, testEachBackend } from "./_helpers.ts";

const RTOL = 1e-5;
// Adam's step is lr·m̂/(√v̂ + ε): where a gradient is about ε (1e-8), a float32 rounding of its
// product summed in another order (OpenBLAS's gemm over the lit columns against the dense one)
// changes that weight's step by up to lr itself. Measured: one weight of W_0 (784 × 100) whose
// gradient after step 1 was 1.09e-8 moved 1.6e-5 apart at lr 0.01, against 1e-7 or less for the
// others. So Adam's weights agree to RTOL of their largest magnitude but for a few (at most
// ADAM_OUTLIERS of them), and those stay within the steps' bound, lr per step.
const ADAM_OUTLIERS = 1e-3;

/**
 * Adam's weights after `steps` steps of two paths (see ADAM_OUTLIERS): (rows, cols) each.
 *
 * @param actual The fused path's.
 * @param expected The reference's.
 * @param lr The rate.
 * @param steps The steps taken.
 * @param at What to name in a failure.
 */
function assertAdamClose(actual: Matrix, expected: Matrix, lr: number, steps: number, at: string) {
  const scale = expected.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0) || 1;
  let outliers = 0;
  actual.data.forEach((x, i) => {
    const difference = Math.abs(x - expected.data[i]);
    if (difference > RTOL * scale) outliers++;
    assert(
      difference <= lr * steps,
      `${at}: element ${i} differs by ${difference} > ${lr * steps}`,
    );
  });
  assert(
    outliers <= ADAM_OUTLIERS * actual.size,
    `${at}: ${outliers} of ${actual.size} elements differ by more than ${RTOL} of ${scale}`,
  );
}

interface Case {
  sizes: number[];
  compact: boolean;
  momentum: number;
  schedule: ScheduleName;
  /** Give trainStep the batch compacted already. @default {false} */
  precompacted?: boolean;
  /** Adam (lr 0.01) instead of SGD (lr 0.5, the momentum above). @default {false} */
  adam?: boolean;
}

/** X's columns that are not all zero, and its values at them, by the backend's primitives. */
function compacted(backend: Backend, X: Matrix): CompactInputs {
  const columns = backend.nonzeroColumns({ x: X });
  const values = backend.gatherColumns({ x: X, columns, out: new Matrix(X.rows, columns.length) });
  return { values, columns };
}

/** Runs both paths from the same weights over the batches, comparing after every step. */
function compare(backend: Backend, batches: MnistBatch[], c: Case): void {
  const where = `sizes ${c.sizes.join("-")}, compact ${c.compact}, momentum ${c.momentum}, ` +
    `${c.schedule}${c.precompacted ? ", precompacted" : ""}${c.adam ? ", Adam" : ""}`;
  const fused = Mlp.init({ sizes: c.sizes, random: 5, backend, compact: c.compact });
  const reference = fused.clone();
  reference.compact = false;
  const options = { momentum: c.momentum, schedule: c.schedule, totalSteps: batches.length + 2 };
  const optimizer = (params: Mlp) =>
    c.adam ? new Adam(params, { ...options, lr: 0.01 }) : new Sgd(params, { ...options, lr: 0.5 });
  const fusedStep = optimizer(fused), referenceStep = optimizer(reference);
  batches.forEach(({ X, labels }, step) => {
    const inputs = c.precompacted ? compacted(backend, X) : X;
    const a = fused.trainStep(inputs, labels, { optimizer: fusedStep });
    reference.forward(X);
    const b = reference.backward(labels);
    referenceStep.step(b.grads);
    const at = `${where}, step ${step + 1}`;
    assertAlmostEquals(a.loss, b.loss, RTOL, at);
    assertEquals(a.correct, b.correct, at);
    const close = c.adam
      ? (x: Matrix, y: Matrix, what: string) => assertAdamClose(x, y, 0.01, step + 1, what)
      : (x: Matrix, y: Matrix, what: string) => assertMatrixClose(x, y, RTOL, what);
    fused.weights.forEach((W, l) => close(W, reference.weights[l], `W_${l} ${at}`));
    fused.biases.forEach((v, l) => close(v, reference.biases[l], `b_${l} ${at}`));
  });
  assertEquals(fusedStep.steps, batches.length);
  assertEquals(referenceStep.steps, batches.length);
}

/** Six batches of 50 with one of 17 in the middle (another workspace, as an epoch's last). */
async function batchesWithShortOne(): Promise<MnistBatch[]> {
  const full = await mnistBatches(6, { batchSize: 50, seed: 2 });
  const [short] = await mnistBatches(1, { batchSize: 17, seed: 3 });
  return [...full.slice(0, 3), short, ...full.slice(3)];
}

testEachBackend(
  "Mlp.trainStep() equals forward + backward + Optimizer.step, compaction on and off, momentum 0 and 0.9",
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
    for (const momentum of [0, 0.9]) {
      const sizes = [784, 100, 10];
      compare(backend, batches, {
        sizes,
        compact: true,
        momentum,
        schedule: "constant",
        precompacted: true,
      });
    }
  },
);

testEachBackend(
  "Mlp.trainStep() with Adam equals forward + backward + Optimizer.step, compaction on and off",
  async (backend) => {
    const batches = await batchesWithShortOne();
    for (const [compact, precompacted] of [[true, false], [false, false], [true, true]]) {
      const schedule = "cosine", sizes = [784, 100, 10];
      compare(backend, batches, {
        sizes,
        compact,
        momentum: 0,
        schedule,
        precompacted,
        adam: true,
      });
    }
  },
);

testEachBackend(
  "Mlp.backward() and a step of Adam from a compacted batch equal those from the dense batch",
  async (backend) => {
    const batches = await batchesWithShortOne();
    const dense = Mlp.init({ sizes: [784, 64, 10], random: 7, backend, compact: false });
    const fromCompact = dense.clone();
    const [adamDense, adamCompact] = [
      new Adam(dense, { lr: 0.01 }),
      new Adam(fromCompact, { lr: 0.01 }),
    ];
    for (const [step, { X, labels }] of batches.entries()) {
      dense.forward(X);
      const expected = dense.backward(labels);
      fromCompact.forward(compacted(backend, X));
      const actual = fromCompact.backward(labels);
      const at = `step ${step + 1}`;
      assertAlmostEquals(actual.loss, expected.loss, RTOL, at);
      expected.grads.dW.forEach((dW, l) =>
        assertMatrixClose(actual.grads.dW[l], dW, RTOL, `dW_${l} ${at}`)
      );
      dense.trainStep(X, labels, { optimizer: adamDense });
      fromCompact.trainStep(compacted(backend, X), labels, { optimizer: adamCompact });
      dense.weights.forEach((W, l) =>
        assertAdamClose(fromCompact.weights[l], W, 0.01, step + 1, `W_${l} ${at}`)
      );
    }
  },
);

Deno.test("Mlp.forward() refuses compacted columns that do not increase or overrun the inputs", () => {
  const mlp = Mlp.init({ sizes: [4, 3, 2], random: 1 });
  const values = Matrix.from([[1, 2]]);
  assertThrows(
    () => mlp.forward({ values, columns: Int32Array.of(2, 1) }),
    RangeError,
    "Cannot forward: expected the columns to increase strictly from 0 to 3 but found 1 at index 1",
  );
  assertThrows(
    () => mlp.forward({ values, columns: Int32Array.of(1, 4) }),
    RangeError,
    "but found 4 at index 1",
  );
  assertThrows(
    () => mlp.forward({ values, columns: Int32Array.of(1) }),
    RangeError,
    "the compacted values are (1, 2) but there are 1 columns",
  );
});

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
    mlp.trainStep(X, labels, { optimizer: new Sgd(mlp, { lr: 0.5 }) });
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
