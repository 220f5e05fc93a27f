import { assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import { scalarSigmoidBackward, scalarSigmoidForward } from "../../lib/scalar/sigmoid.ts";

Deno.test("scalarSigmoidForward() computes 1 / (1 + e^−k) without overflow", () => {
  const h = scalarSigmoidForward([2, -2, 0, 1000, -1000, 800, -800]);
  assertAlmostEquals(h[0], 0.8807970779778823, 1e-16);
  assertAlmostEquals(h[0] + h[1], 1, 1e-15);
  assertEquals(h.slice(2), [0.5, 1, 0, 1, 0]);
  assertEquals(h.every(Number.isFinite), true);
});

Deno.test("scalarSigmoidBackward() gives dh σ(k)(1 − σ(k)), as central differences say", () => {
  const k = [-3, -0.5, 0, 0.7, 4];
  const u = [1, -2, 0.5, 3, -1];
  const loss = (v: number[]) => scalarSigmoidForward(v).reduce((s, h, j) => s + u[j] * h, 0);
  const dk = scalarSigmoidBackward(u, scalarSigmoidForward(k));
  assertLess(maxAbsDifference(dk, centralDifference(loss, k)), 1e-10);
});
