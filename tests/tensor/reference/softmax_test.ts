import { assertAlmostEquals, assertThrows } from "@std/assert";
import { scalarSoftmaxForward } from "../../../lib/scalar/softmax.ts";
import { softmaxForward } from "./softmax.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix } from "../_helpers.ts";

Deno.test("softmaxForward() matches the scalar softmax row by row", () => {
  const o = randomMatrix(new Random(40), [50, 10]);
  o.set(0, 0, 1000);
  o.set(1, 3, -1000);
  const y = softmaxForward(o);
  const expected = new Matrix(50, 10);
  for (let i = 0; i < 50; i++) {
    expected.data.set(scalarSoftmaxForward(Array.from(o.sliceRows(i, i + 1).data)), i * 10);
    let sum = 0;
    for (let j = 0; j < 10; j++) sum += y.get(i, j);
    assertAlmostEquals(sum, 1, 1e-6);
  }
  assertMatrixClose(y, expected, 1e-6);
  softmaxForward(o, { out: o }); // in place
  assertMatrixClose(o, expected, 1e-6);
});

Deno.test("softmaxForward() checks out's shape", () => {
  assertThrows(
    () => softmaxForward(new Matrix(2, 3), { out: new Matrix(3, 2) }),
    RangeError,
    "Cannot softmaxForward: out must be (2, 3) but is (3, 2)",
  );
});
