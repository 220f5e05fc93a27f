import { assertEquals, assertThrows } from "@std/assert";
import { Matrix } from "../../lib/tensor/matrix.ts";

Deno.test("Matrix() wraps data row by row without copying", () => {
  const data = Float32Array.of(1, 2, 3, 4, 5, 6);
  const m = new Matrix(2, 3, data);
  assertEquals(m.shape, [2, 3]);
  assertEquals(m.size, 6);
  assertEquals(m.get(1, 0), 4);
  data[3] = 40;
  assertEquals(m.get(1, 0), 40);
});

Deno.test("Matrix() allocates zeros without data", () => {
  assertEquals(new Matrix(2, 2).toArray(), [[0, 0], [0, 0]]);
  assertEquals(new Matrix(0, 3).size, 0);
});

Deno.test("Matrix() rejects bad shapes and data lengths", () => {
  assertThrows(() => new Matrix(-1, 2), RangeError, "(-1, 2)");
  assertThrows(() => new Matrix(1.5, 2), RangeError, "(1.5, 2)");
  assertThrows(
    () => new Matrix(2, 2, new Float32Array(3)),
    RangeError,
    "Expected 4 elements for a (2, 2) matrix but found 3",
  );
});

Deno.test("Matrix.from() builds from rows and rejects ragged rows", () => {
  assertEquals(Matrix.from([[1, 2], [3, 4]]).data, Float32Array.of(1, 2, 3, 4));
  assertEquals(Matrix.from([]).shape, [0, 0]);
  assertThrows(() => Matrix.from([[1, 2], [3]]), RangeError, "found 1 in row 1");
});

Deno.test("Matrix.get() and set() check the index", () => {
  const m = new Matrix(2, 2);
  m.set(1, 0, 5);
  assertEquals(m.get(1, 0), 5);
  assertThrows(() => m.get(2, 0), RangeError, "found (2, 0)");
  assertThrows(() => m.set(0, -1, 1), RangeError, "found (0, -1)");
});

Deno.test("Matrix.sliceRows() is a view sharing the data", () => {
  const m = Matrix.from([[1, 2], [3, 4], [5, 6]]);
  const view = m.sliceRows(1, 3);
  assertEquals(view.toArray(), [[3, 4], [5, 6]]);
  view.set(0, 0, 30);
  assertEquals(m.get(1, 0), 30);
  assertEquals(m.sliceRows(3, 3).shape, [0, 2]);
  assertThrows(() => m.sliceRows(2, 4), RangeError, "found start 2 and end 4");
});

Deno.test("Matrix.clone() copies", () => {
  const m = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const c = m.clone();
  c.set(0, 0, 9);
  assertEquals(m.get(0, 0), 1);
});
