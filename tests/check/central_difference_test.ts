import { assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";

Deno.test("centralDifference() gives the gradient of a function of a vector", () => {
  const g = centralDifference((x) => Math.sin(x[0]) * x[1] ** 2, [0.3, 2]);
  assertLess(maxAbsDifference(g, [Math.cos(0.3) * 4, Math.sin(0.3) * 4]), 1e-9);
});

Deno.test("centralDifference() gives the gradient of a matrix, with its shape", () => {
  const M = [[1, 2, 3], [4, 5, 6]];
  const g = centralDifference((m) => m.flat().reduce((s, v) => s + v * v, 0), M);
  assertLess(maxAbsDifference(g, [[2, 4, 6], [8, 10, 12]]), 1e-9);
});

Deno.test("centralDifference() restores x exactly, so f may read x through another reference", () => {
  const params = { w: [0.1, 0.2, 0.7] };
  const x = params.w.slice();
  const g = centralDifference(() => params.w[0] * 3 + params.w[2] ** 3, params.w);
  assertEquals(params.w, x);
  assertAlmostEquals(g[0], 3, 1e-9);
  assertAlmostEquals(g[1], 0, 1e-12);
  assertAlmostEquals(g[2], 3 * 0.49, 1e-9);
});

Deno.test("centralDifference() has an error of order h² for a smooth function", () => {
  const f = (x: number[]) => Math.exp(x[0]);
  const err = (h: number) => Math.abs(centralDifference(f, [1], { h })[0] - Math.E);
  // e/6 h² is the leading term: 1e-2 gives about 4.5e-5, 1e-3 about 4.5e-7
  assertAlmostEquals(err(1e-2), (Math.E / 6) * 1e-4, 1e-7);
  assertLess(err(1e-3), err(1e-2) / 50);
});

Deno.test("centralDifference() throws a RangeError for a step that is not a positive finite number", () => {
  assertThrows(
    () => centralDifference((x) => x[0], [1], { h: 0 }),
    RangeError,
    "Expected h to be a finite number greater than 0 but found 0",
  );
  assertThrows(() => centralDifference((x) => x[0], [1], { h: NaN }), RangeError, "found NaN");
});
