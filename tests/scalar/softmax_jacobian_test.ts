import { assertEquals, assertLess } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { centralDifferenceJacobian } from "../../lib/check/central_difference_jacobian.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import { scalarSoftmaxForward } from "../../lib/scalar/softmax.ts";
import { scalarSoftmaxJacobian } from "../../lib/scalar/softmax_jacobian.ts";

Deno.test("scalarSoftmaxJacobian() gives y_i(1 − y_i) on the diagonal and −y_i y_j off it", () => {
  const y = [0.2, 0.3, 0.5];
  const J = scalarSoftmaxJacobian(y);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      assertEquals(J[i][j], i === j ? y[i] * (1 - y[i]) : -y[i] * y[j]);
    }
  }
});

Deno.test("scalarSoftmaxJacobian() agrees with central differences for small and large logits", () => {
  const random = new Random(4);
  for (const n of [2, 3, 5, 10]) {
    for (const scale of [0.1, 1, 10]) {
      const o = Array.from({ length: n }, () => random.normal(0, scale));
      const J = scalarSoftmaxJacobian(scalarSoftmaxForward(o));
      const numerical = centralDifferenceJacobian(scalarSoftmaxForward, o);
      assertLess(maxAbsDifference(J, numerical), 1e-9);
    }
  }
});

Deno.test("scalarSoftmaxJacobian() has rows and columns that sum to 0", () => {
  const J = scalarSoftmaxJacobian(scalarSoftmaxForward([0.3, -1, 2, 0]));
  for (const row of J) assertLess(Math.abs(row.reduce((s, v) => s + v, 0)), 1e-16);
});
