import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { learningCurve } from "../../lib/stats/learning_curve.ts";

Deno.test("learningCurve() gives the centred mean of each sampled step", () => {
  const random = new Random(1);
  const losses = Array.from({ length: 5000 }, () => random.uniform() * 3);
  const points = learningCurve(losses, { window: 100, numPoints: 37 });
  for (const { step, loss, mean } of points) {
    assertEquals(loss, losses[step - 1]);
    // 49 steps before this one, this one, and 50 after, fewer at either end
    const window = losses.slice(Math.max(0, step - 1 - 49), step + 50);
    assertAlmostEquals(mean, window.reduce((s, v) => s + v, 0) / window.length, 1e-12);
  }
});

Deno.test("learningCurve() samples evenly from the first step to the last", () => {
  const losses = new Float64Array(300_000).fill(1);
  const points = learningCurve(losses);
  assertEquals(points.length, 2000);
  assertEquals(points[0].step, 1);
  assertEquals(points.at(-1)!.step, 300_000);
  for (let k = 1; k < points.length; k++) {
    const gap = points[k].step - points[k - 1].step;
    assertAlmostEquals(gap, 299_999 / 1999, 1);
  }
  assertEquals(learningCurve([2, 4], { numPoints: 10 }).length, 2);
  assertEquals(learningCurve([2, 4, 6], { numPoints: 1 }), [{ step: 3, loss: 6, mean: 4 }]);
  assertEquals(learningCurve([]), []);
});

Deno.test("learningCurve() throws a RangeError for a window or count below 1", () => {
  assertThrows(
    () => learningCurve([1], { window: 0 }),
    RangeError,
    "Expected window to be an integer of at least 1 but found 0",
  );
  assertThrows(
    () => learningCurve([1], { numPoints: 2.5 }),
    RangeError,
    "Expected numPoints to be an integer of at least 1 but found 2.5",
  );
});
