import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { runningMean } from "../../lib/stats/running_mean.ts";

Deno.test("runningMean() is the mean of the window centred on each value", () => {
  const random = new Random(3);
  const values = Array.from({ length: 257 }, () => random.normal(0, 2));
  for (const window of [1, 2, 3, 10, 11, 256, 257, 1000]) {
    const smooth = runningMean(values, window);
    assertEquals(smooth.length, values.length);
    const before = Math.floor((window - 1) / 2);
    values.forEach((_, i) => {
      const around = values.slice(Math.max(0, i - before), i - before + window);
      const expected = around.reduce((s, v) => s + v, 0) / around.length;
      assertAlmostEquals(smooth[i], expected, 1e-12, `window ${window}, index ${i}`);
    });
  }
});

Deno.test("runningMean() does not lag: a straight line stays where it is away from the ends", () => {
  const line = Array.from({ length: 100 }, (_, i) => 100 - i);
  const smooth = runningMean(line, 21);
  for (let i = 10; i < 90; i++) assertAlmostEquals(smooth[i], line[i], 1e-12);
});

Deno.test("runningMean() throws a RangeError for a window below 1", () => {
  assertThrows(
    () => runningMean([1, 2], 0),
    RangeError,
    "Expected window to be an integer of at least 1 but found 0",
  );
  assertEquals(Array.from(runningMean([], 5)), []);
});
