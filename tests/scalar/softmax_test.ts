import { assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { centralDifferenceJacobian } from "../../lib/check/central_difference_jacobian.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import {
  scalarSoftmaxBackward,
  scalarSoftmaxForward,
  scalarSoftmaxJacobian,
} from "../../lib/scalar/softmax.ts";

Deno.test("scalarSoftmaxForward() gives probabilities e^o_i / Σ e^o_j", () => {
  const y = scalarSoftmaxForward([1, 2, 3]);
  const z = Math.E + Math.E ** 2 + Math.E ** 3;
  assertLess(maxAbsDifference(y, [Math.E / z, Math.E ** 2 / z, Math.E ** 3 / z]), 1e-16);
  assertAlmostEquals(y.reduce((s, v) => s + v, 0), 1, 1e-15);
});

Deno.test("scalarSoftmaxForward() is finite and correct for logits of ±1000", () => {
  assertEquals(scalarSoftmaxForward([1000, -1000]), [1, 0]);
  assertEquals(scalarSoftmaxForward([-1000, 1000, 1000]), [0, 0.5, 0.5]);
  assertEquals(scalarSoftmaxForward([-1000, -1000]), [0.5, 0.5]);
  const shifted = scalarSoftmaxForward([1001, 1000, 999]);
  assertLess(maxAbsDifference(shifted, scalarSoftmaxForward([1, 0, -1])), 1e-16);
});

Deno.test("scalarSoftmaxBackward() agrees with central differences", () => {
  const random = new Random(9);
  for (const n of [2, 3, 10]) {
    const o = Array.from({ length: n }, () => random.normal(0, 3));
    const u = Array.from({ length: n }, () => random.normal());
    const loss = (v: number[]) => scalarSoftmaxForward(v).reduce((s, y, i) => s + u[i] * y, 0);
    const dO = scalarSoftmaxBackward(u, scalarSoftmaxForward(o));
    assertLess(maxAbsDifference(dO, centralDifference(loss, o)), 1e-9);
  }
});

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
