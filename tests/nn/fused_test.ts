// The fused elementwise loops of the MLP's hot path against the reference ops they fuse
// (tests/tensor/reference): each hidden activation's forward (bias added in the same pass) and
// backward (from its outputs) against addBias then the activation elementwise and its derivative,
// the output layer's addBias, softmaxCrossEntropyForward/Backward with argmaxRows, and
// addBiasBackward. Tolerance: float32, max |difference| ≤ 1e-6 of the largest expected
// magnitude; the bias add alone is exact.
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { ACTIVATION_NAMES, type ActivationName, ACTIVATIONS } from "../../lib/tensor/activation.ts";
import {
  addBias as addBiasFused,
  columnSums,
  softmaxCrossEntropyFused,
} from "../../lib/tensor/backends/_fused.ts";
import { addBias, addBiasBackward } from "../tensor/reference/add_bias.ts";
import { argmaxRows } from "../tensor/reference/argmax_rows.ts";
import { mapElements } from "../tensor/reference/_elementwise.ts";
import { sigmoidBackward, sigmoidForward } from "../tensor/reference/sigmoid.ts";
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from "../tensor/reference/softmax_cross_entropy.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix } from "./_helpers.ts";
import { fullMatrix } from "../tensor/_helpers.ts";

const RTOL = 1e-6;

/** Each activation composed from the reference ops: f after addBias, and dH ⊙ f′ from h = f(z). */
const REFERENCE: Record<
  ActivationName,
  { forward: (K: Matrix) => Matrix; backward: (dH: Matrix, H: Matrix) => Matrix }
> = {
  sigmoid: { forward: (K) => sigmoidForward(K), backward: (dH, H) => sigmoidBackward(dH, H) },
  tanh: {
    forward: (K) => mapElements(K.clone(), (i, j) => Math.tanh(K.get(i, j))),
    backward: (dH, H) => mapElements(dH.clone(), (i, j) => dH.get(i, j) * (1 - H.get(i, j) ** 2)),
  },
  relu: {
    forward: (K) => mapElements(K.clone(), (i, j) => Math.max(0, K.get(i, j))),
    backward: (dH, H) => mapElements(dH.clone(), (i, j) => (H.get(i, j) > 0 ? dH.get(i, j) : 0)),
  },
};

for (const name of ACTIVATION_NAMES) {
  Deno.test(`${name}: the fused forward equals addBias then ${name}, the backward its derivative`, () => {
    const random = new Random(1);
    const Z = randomMatrix(random, [13, 300]);
    Z.data.forEach((v, i) => Z.data[i] = 4 * v); // saturated sigmoids and tanhs, negative ReLUs too
    const b = randomMatrix(random, [1, 300]);
    const H = REFERENCE[name].forward(addBias(Z, b));
    const fused = Z.clone();
    ACTIVATIONS[name].forward(fused.data, b.data, Z.rows);
    assertMatrixClose(fused, H, RTOL);
    const dH = randomMatrix(random, [13, 300]);
    const dK = dH.clone();
    ACTIVATIONS[name].backward(dK.data, H.data, H.size);
    assertMatrixClose(dK, REFERENCE[name].backward(dH, H), RTOL);
  });
}

Deno.test("addBias() of the output layer equals the reference addBias exactly", () => {
  const random = new Random(2);
  const Z = randomMatrix(random, [7, 10]);
  const b = randomMatrix(random, [1, 10]);
  const fused = Z.clone();
  addBiasFused(fused.data, b.data, Z.rows);
  assertEquals(fused.data, addBias(Z, b).data);
});

Deno.test(
  "softmaxCrossEntropyFused() gives the summed loss, the count right and (y − t)/B of the reference ops",
  () => {
    const random = new Random(4);
    const rows = 50, cols = 10;
    const O = randomMatrix(random, [rows, cols]);
    O.data.forEach((v, i) => O.data[i] = 5 * v);
    O.data.set([80, -80, 80], 0); // large logits, a tie in the first row
    const labels = Int32Array.from({ length: rows }, () => random.integer(cols));
    const dO = new Matrix(rows, cols);
    const { lossSum, correct } = softmaxCrossEntropyFused(O.data, labels, rows, cols, dO.data);
    assertAlmostEquals(
      lossSum / rows,
      softmaxCrossEntropyForward(O, labels),
      1e-5,
    );
    assertMatrixClose(dO, softmaxCrossEntropyBackward(O, labels), RTOL);
    const predicted = argmaxRows(O);
    assertEquals(correct, labels.filter((c, i) => predicted[i] === c).length);
  },
);

Deno.test("softmaxCrossEntropyFused() with a null dO only scores the batch", () => {
  const O = Float32Array.of(0, 0, Math.log(3), 2, 1, 0);
  const { lossSum, correct } = softmaxCrossEntropyFused(O, [2, 1], 2, 3, null);
  // row 0: y = (1/5, 1/5, 3/5), label 2 → −log 3/5; row 1: label 1, predicted 0
  const row1 = Math.log(Math.exp(2) + Math.exp(1) + 1) - 1;
  assertAlmostEquals(lossSum, -Math.log(3 / 5) + row1, 1e-6);
  assertEquals(correct, 1);
});

Deno.test("columnSums() equals addBiasBackward and overwrites its output", () => {
  const random = new Random(5);
  const D = randomMatrix(random, [50, 300]);
  const db = fullMatrix([1, 300], 99);
  columnSums(D.data, D.rows, db.data);
  assertMatrixClose(db, addBiasBackward(D), RTOL);
});
