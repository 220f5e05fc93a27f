import { assertEquals, assertLess, assertThrows } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import { scalarLinearBackward, scalarLinearForward } from "../../lib/scalar/linear.ts";

Deno.test("scalarLinearForward() computes x W + b", () => {
  const k = scalarLinearForward([1, -1], { W: [[1, 2, 3], [4, 5, 6]], b: [0.5, 0, -0.5] });
  assertEquals(k, [-2.5, -3, -3.5]);
});

Deno.test("scalarLinearForward() throws a TypeError when W has the wrong number of rows", () => {
  assertThrows(
    () => scalarLinearForward([1, 2, 3], { W: [[1], [2]], b: [0] }),
    TypeError,
    "Expected W to have 3 rows (one per input) but found 2",
  );
});

Deno.test("scalarLinearBackward() accumulates dW and db and returns dx, as central differences say", () => {
  const random = new Random(1);
  const x = [random.normal(), random.normal(), random.normal()];
  const W = [0, 1, 2].map(() => [random.normal(), random.normal()]);
  const b = [random.normal(), random.normal()];
  const u = [random.normal(), random.normal()]; // l = u · k, so dk = u
  const loss = () => scalarLinearForward(x, { W, b }).reduce((s, k, j) => s + u[j] * k, 0);
  const dW = W.map((row) => row.map(() => 1));
  const db = [1, 1];
  const dx = scalarLinearBackward(u, { x, W, dW, db });
  // the buffers started at 1: backward adds to them
  const numericalW = centralDifference(loss, W).map((row) => row.map((v) => v + 1));
  assertLess(maxAbsDifference(dW, numericalW), 1e-9);
  assertLess(maxAbsDifference(db, centralDifference(loss, b).map((v) => v + 1)), 1e-9);
  assertLess(maxAbsDifference(dx, centralDifference(loss, x)), 1e-9);
});
