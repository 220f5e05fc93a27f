import { assertEquals, assertThrows } from "@std/assert";
import { argmaxRows } from "./argmax_rows.ts";
import { Matrix } from "../_helpers.ts";

Deno.test("argmaxRows() gives each row's predicted class", () => {
  const o = Matrix.from([[0, 3, 1], [-1, -2, -0.5], [2, 2, 2]]);
  assertEquals(argmaxRows(o), Int32Array.of(1, 2, 0));
  assertEquals(argmaxRows(new Matrix(0, 10)), new Int32Array(0));
  assertThrows(
    () => argmaxRows(new Matrix(2, 0)),
    RangeError,
    "Cannot argmaxRows: x (2, 0) has no classes",
  );
});
