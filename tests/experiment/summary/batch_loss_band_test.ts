import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { batchLossBand } from "../../../lib/experiment/summary/batch_loss_band.ts";
import { mixedResult } from "../_fixture.ts";

Deno.test("batchLossBand() gives mean, std, lo and hi per learning rate and step", () => {
  const band = batchLossBand(mixedResult());
  assertEquals(band.columns, ["lr", "step", "mean", "std", "lo", "hi", "n"]);
  const rows = band.toRecords();
  // lr 0.1: losses [4, 3, 2, 1] and [6, 5, 4, 3]
  const first = rows.filter((r) => r.lr === 0.1);
  assertEquals(first.map((r) => [r.step, r.mean, r.n]), [[1, 5, 2], [2, 4, 2], [3, 3, 2], [
    4,
    2,
    2,
  ]]);
  assertAlmostEquals(first[0].std as number, Math.SQRT2);
  assertAlmostEquals(first[0].lo as number, 5 - Math.SQRT2);
  assertAlmostEquals(first[0].hi as number, 5 + Math.SQRT2);
});

Deno.test("batchLossBand() leaves out diverged runs, and groups where every run diverged", () => {
  const rows = batchLossBand(mixedResult()).toRecords();
  const one = rows.filter((r) => r.lr === 1);
  assertEquals(one.map((r) => [r.step, r.mean, r.std, r.lo, r.hi, r.n]), [
    [1, 2, null, 2, 2, 1],
    [2, 2, null, 2, 2, 1],
    [3, 2, null, 2, 2, 1],
    [4, 2, null, 2, 2, 1],
  ]);
  assertEquals(rows.filter((r) => r.lr === 10), []);
});

Deno.test("batchLossBand() smooths each run with a running mean and keeps numPoints steps", () => {
  const rows = batchLossBand(mixedResult(), { by: ["lr"], window: 2, numPoints: 2 }).toRecords();
  const first = rows.filter((r) => r.lr === 0.1);
  // centred means over 2 steps (each step and the next): [3.5, 2.5, 1.5, 1] and
  // [5.5, 4.5, 3.5, 3]; steps 1 and 4 kept
  assertEquals(first.map((r) => [r.step, r.mean]), [[1, 4.5], [4, 2]]);
});

Deno.test("batchLossBand() throws on a window or numPoints below 1", () => {
  assertThrows(
    () => batchLossBand(mixedResult(), { window: 0 }),
    RangeError,
    "Expected window to be an integer of at least 1 but found 0",
  );
  assertThrows(
    () => batchLossBand(mixedResult(), { numPoints: 1.5 }),
    RangeError,
    "Expected numPoints to be an integer of at least 1 but found 1.5",
  );
});
