// The exercise checker: exact, close and the largest difference per quantity; `require` throws.
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { checkExercise } from "../../lib/report/exercise_check.ts";
import { type Displayable, jupyterDisplay } from "../../lib/report/table.ts";

/** The rows of the table's plain text, each a list of its cells. */
const rowsOf = (check: Displayable) =>
  check[jupyterDisplay]()["text/plain"].split("\n").slice(1).map((line) => line.split("\t"));

Deno.test("checkExercise() tells exact from close from wrong, per quantity", () => {
  const check = checkExercise("Exercise 1", [
    { name: "a", yours: [[1, 2], [3, 4]], expected: [[1, 2], [3, 4]] },
    { name: "b", yours: new Float32Array([0.1, 0.2]), expected: [0.1, 0.2] },
    { name: "c", yours: [1, 2.5], expected: [1, 2] },
  ], { rtol: 1e-6 });
  const [a, b, c] = rowsOf(check);
  assertEquals(a, ["a", "true", "true", "0"]);
  assertEquals(b.slice(0, 3), ["b", "false", "true"]); // float32 rounding, within rtol 1e-6
  assertEquals(c, ["c", "false", "false", "0.5"]);
  assertStringIncludes(check.html, "Exercise 1: not yet: c");
});

Deno.test("checkExercise() counts an unfinished answer (NaN, another shape) as not close", () => {
  const check = checkExercise("Exercise 2", [
    { name: "nan", yours: [NaN, 1], expected: [1, 1] },
    { name: "shape", yours: [1, 2, 3], expected: [1, 2] },
  ]);
  assertEquals(rowsOf(check).map((row) => row[2]), ["false", "false"]);
  assertStringIncludes(check.html, "not yet: nan, shape");
});

Deno.test("checkExercise() with require throws naming what is not close, and passes when all are", () => {
  const close = checkExercise("Exercise 3", [{ name: "g", yours: [1 + 1e-12], expected: [1] }], {
    require: true,
  });
  assertStringIncludes(close.html, "Exercise 3: all close");
  assertThrows(
    () =>
      checkExercise("Exercise 3", [{ name: "g", yours: [1.1], expected: [1] }], { require: true }),
    Error,
    "Exercise 3: not close (rtol 0.00001, atol 1e-8): g",
  );
  assertThrows(
    () =>
      checkExercise("Exercise 3", [{ name: "g", yours: [1, 2], expected: [1] }], { require: true }),
    Error,
    "Exercise 3: g: Expected a and b to have the same shape",
  );
});
