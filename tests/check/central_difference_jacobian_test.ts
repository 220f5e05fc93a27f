import { assertEquals, assertLess } from "@std/assert";
import { centralDifferenceJacobian } from "../../lib/check/central_difference_jacobian.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";

Deno.test("centralDifferenceJacobian() gives J[i][j] = ∂f_i/∂x_j for m outputs and n inputs", () => {
  const x = [1, 2, 3];
  const J = centralDifferenceJacobian(([a, b, c]) => [a * b, b + c], x);
  assertLess(maxAbsDifference(J, [[2, 1, 0], [0, 1, 1]]), 1e-9);
  assertEquals(x, [1, 2, 3]);
});

Deno.test("centralDifferenceJacobian() returns (m, 0) for an empty input", () => {
  assertEquals(centralDifferenceJacobian(() => [1, 2], []), [[], []]);
});
