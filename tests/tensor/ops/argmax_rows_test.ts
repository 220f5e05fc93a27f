import { assertEquals, assertThrows } from "@std/assert";
import { argmaxRows } from "../../../lib/tensor/ops/argmax_rows.ts";
import { Matrix, testEachBackend } from "../_helpers.ts";

testEachBackend("argmaxRows() gives each row's predicted class", (backend) => {
  const o = Matrix.from([[0, 3, 1], [-1, -2, -0.5], [2, 2, 2]]);
  assertEquals(argmaxRows(o, { backend }), Int32Array.of(1, 2, 0));
  assertEquals(argmaxRows(Matrix.zeros(0, 10), { backend }), new Int32Array(0));
  assertThrows(() => argmaxRows(Matrix.zeros(2, 0), { backend }), RangeError, "Cannot argmax");
});
