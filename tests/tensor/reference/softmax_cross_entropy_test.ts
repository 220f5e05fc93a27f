// The fused loss against the scalar network's (the oracle), and its gradient against both the
// scalar gradient and central finite differences of the loss.
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  scalarSoftmaxCrossEntropyBackward,
  scalarSoftmaxCrossEntropyForward,
} from "../../../lib/scalar/softmax_cross_entropy.ts";
import { scalarSoftmaxForward } from "../../../lib/scalar/softmax.ts";
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from "./softmax_cross_entropy.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix } from "../_helpers.ts";

function batchOf(random: Random, batch: number, numClasses: number) {
  const o = randomMatrix(random, [batch, numClasses]);
  const labels = Uint8Array.from({ length: batch }, () => random.integer(numClasses));
  return { o, labels };
}

Deno.test("softmaxCrossEntropyForward() is the mean of the scalar losses", () => {
  const { o, labels } = batchOf(new Random(50), 50, 10);
  o.set(2, labels[2], 500); // confident and right
  o.set(3, (labels[3] + 1) % 10, 500); // confident and wrong: a loss near 500, finite
  let expected = 0;
  for (let i = 0; i < 50; i++) {
    expected += scalarSoftmaxCrossEntropyForward(Array.from(o.sliceRows(i, i + 1).data), labels[i]);
  }
  expected /= 50;
  assertAlmostEquals(softmaxCrossEntropyForward(o, labels), expected, 1e-5 * expected);
});

Deno.test(
  "softmaxCrossEntropyForward() gives ln 2 for the Q3 network's equal logits",
  () => {
    assertAlmostEquals(
      softmaxCrossEntropyForward(Matrix.from([[0.7, 0.7]]), [0]),
      Math.LN2,
      1e-7,
    );
    assertEquals(softmaxCrossEntropyForward(Matrix.from([[1000, -1000]]), [1]), 2000);
  },
);

Deno.test("softmaxCrossEntropyBackward() is (y − t) / batch", () => {
  const { o, labels } = batchOf(new Random(51), 50, 10);
  const expected = new Matrix(50, 10);
  for (let i = 0; i < 50; i++) {
    const y = scalarSoftmaxForward(Array.from(o.sliceRows(i, i + 1).data));
    const dO = scalarSoftmaxCrossEntropyBackward(y, labels[i]).map((v) => v / 50);
    expected.data.set(dO, i * 10);
  }
  assertMatrixClose(softmaxCrossEntropyBackward(o, labels), expected, 1e-5);
  assertEquals(
    softmaxCrossEntropyBackward(Matrix.from([[0.7, 0.7]]), [0]).toArray(),
    [[-0.5, 0.5]],
  );
});

Deno.test("softmaxCrossEntropyBackward() matches central finite differences", () => {
  const { o, labels } = batchOf(new Random(52), 3, 4);
  const dO = softmaxCrossEntropyBackward(o, labels);
  const eps = 1e-2;
  const numeric = new Matrix(3, 4);
  for (let i = 0; i < o.size; i++) {
    const plus = o.clone(), minus = o.clone();
    plus.data[i] += eps;
    minus.data[i] -= eps;
    numeric.data[i] = (softmaxCrossEntropyForward(plus, labels) -
      softmaxCrossEntropyForward(minus, labels)) / (2 * eps);
  }
  assertMatrixClose(dO, numeric, 1e-2);
});

Deno.test("softmaxCrossEntropyForward() and Backward() check the labels", () => {
  const o = new Matrix(50, 10);
  assertThrows(
    () => softmaxCrossEntropyForward(o, new Uint8Array(49)),
    RangeError,
    "Cannot softmaxCrossEntropyForward: logits are (50, 10) but there are 49 labels",
  );
  assertThrows(
    () => softmaxCrossEntropyBackward(o, new Uint8Array(51)),
    RangeError,
    "Cannot softmaxCrossEntropyBackward: logits are (50, 10) but there are 51 labels",
  );
  assertThrows(
    () => softmaxCrossEntropyForward(new Matrix(1, 10), [10]),
    RangeError,
    "Expected labels to be integers from 0 to 9 but found 10 at index 0",
  );
  assertThrows(
    () => softmaxCrossEntropyForward(new Matrix(0, 10), []),
    RangeError,
    "the batch is empty",
  );
});
