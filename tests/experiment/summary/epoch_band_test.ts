import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { epochBand } from "../../../lib/experiment/summary/epoch_band.ts";
import { mixedResult } from "../_fixture.ts";

Deno.test("epochBand() gives training and validation loss per learning rate and epoch", () => {
  const band = epochBand(mixedResult());
  assertEquals(band.columns, ["lr", "metric", "epoch", "mean", "std", "lo", "hi", "n"]);
  const rows = band.toRecords().filter((r) => r.lr === 0.1);
  // eval losses [2, 1] and [4, 3]; train loss is eval loss + 0.5 in the fixture
  assertEquals(rows.map((r) => [r.metric, r.epoch, r.mean, r.n]), [
    ["trainLoss", 1, 3.5, 2],
    ["trainLoss", 2, 2.5, 2],
    ["evalLoss", 1, 3, 2],
    ["evalLoss", 2, 2, 2],
  ]);
  assertAlmostEquals(rows[2].hi as number, 3 + Math.SQRT2);
});

Deno.test("epochBand() leaves out diverged runs", () => {
  const rows = epochBand(mixedResult(), { metrics: ["evalAccuracy"] }).toRecords();
  assertEquals(rows.filter((r) => r.lr === 10), []);
  const one = rows.filter((r) => r.lr === 1);
  assertEquals(one.map((r) => [r.epoch, r.mean, r.std, r.n]), [[1, 0.7, null, 1], [
    2,
    0.75,
    null,
    1,
  ]]);
});

Deno.test("epochBand() throws on an unknown metric", () => {
  assertThrows(
    // @ts-expect-error: not a metric
    () => epochBand(mixedResult(), { metrics: ["accuracy"] }),
    RangeError,
    "Expected metrics to be a non-empty list of trainLoss, trainAccuracy, trainEvalLoss, trainEvalAccuracy, evalLoss, evalAccuracy but found [accuracy]",
  );
});
