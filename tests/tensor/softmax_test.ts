// softmaxRows against the scalar softmax (lib/scalar, an independent implementation), row by
// row; the cross-entropy's softmax is the same row code (tests/nn/fused_test.ts holds it to the
// reference ops). Tolerance: float32, 1e-6 of the largest probability.
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { scalarSoftmaxForward } from "../../lib/scalar/softmax.ts";
import { softmaxRows } from "../../lib/tensor/softmax.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix } from "./_helpers.ts";

Deno.test("softmaxRows() matches the scalar softmax row by row, large logits too", () => {
  const o = randomMatrix(new Random(41), [50, 10]);
  for (let i = 0; i < o.size; i++) o.data[i] *= 5;
  o.set(0, 0, 1000); // e^1000 overflows unless the row's largest is taken out first
  o.set(1, 3, -1000);
  o.set(2, 4, 88);
  const expected = new Matrix(50, 10);
  for (let i = 0; i < 50; i++) {
    expected.data.set(scalarSoftmaxForward(Array.from(o.sliceRows(i, i + 1).data)), i * 10);
  }
  const y = softmaxRows(o, new Matrix(50, 10));
  assertMatrixClose(y, expected, 1e-6);
  for (let i = 0; i < 50; i++) {
    assertAlmostEquals(y.sliceRows(i, i + 1).data.reduce((sum, p) => sum + p, 0), 1, 1e-6);
  }
  assertEquals(y.get(0, 0), 1);
});

Deno.test("softmaxRows() works in place and on empty matrices", () => {
  const o = randomMatrix(new Random(42), [7, 3]);
  const expected = softmaxRows(o, new Matrix(7, 3));
  assertEquals(softmaxRows(o, o).data, expected.data);
  assertEquals(softmaxRows(new Matrix(0, 3), new Matrix(0, 3)).shape, [0, 3]);
  assertEquals(softmaxRows(new Matrix(2, 0), new Matrix(2, 0)).shape, [2, 0]);
});

Deno.test("softmaxRows() throws a RangeError naming both shapes", () => {
  assertThrows(
    () => softmaxRows(new Matrix(2, 3), new Matrix(3, 2)),
    RangeError,
    "Cannot softmaxRows: o is (2, 3) but out is (3, 2)",
  );
});
