import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import pl from "nodejs-polars";
import { summarizeGrid } from "../../../lib/experiment/summary/summarize_grid.ts";
import { fakeResult, mixedResult } from "../_fixture.ts";

Deno.test("summarizeGrid() gives mean and standard deviation over seeds per learning rate", () => {
  const summary = summarizeGrid(mixedResult());
  assertEquals(summary.columns, [
    "lr",
    "runs",
    "ok",
    "diverged",
    "evalLossMean",
    "evalLossStd",
    "evalAccuracyMean",
    "evalAccuracyStd",
    "trainLossMean",
    "trainLossStd",
    "trainEvalLossMean",
    "trainEvalLossStd",
    "trainEvalAccuracyMean",
    "trainEvalAccuracyStd",
    "secondsMean",
  ]);
  const rows = summary.toRecords();
  assertEquals(rows.map((r) => [r.lr, r.runs, r.ok, r.diverged]), [
    [0.1, 2, 2, 0],
    [1, 2, 1, 1],
    [10, 2, 0, 2],
  ]);
  // lr 0.1: final eval losses 1 and 3
  assertEquals(rows[0].evalLossMean, 2);
  assertAlmostEquals(rows[0].evalLossStd as number, Math.SQRT2);
  assertAlmostEquals(rows[0].evalAccuracyMean as number, 0.6);
  // and the scored training examples (the fixture's trainEvalLoss is evalLoss − 0.25)
  assertEquals(rows[0].trainEvalLossMean, 1.75);
  assertAlmostEquals(rows[0].trainEvalLossStd as number, Math.SQRT2);
  assertEquals(rows[2].trainEvalLossMean, null);
  assertEquals(rows[0].trainLossMean, 2.5);
  assertEquals(rows[0].secondsMean, 1.5);
});

Deno.test("summarizeGrid() leaves diverged runs out of the numbers and counts them", () => {
  const rows = summarizeGrid(mixedResult()).toRecords();
  // lr 1: one run left, so a mean without a deviation
  assertEquals(rows[1].evalLossMean, 1.25);
  assertEquals(rows[1].evalLossStd, null);
  // lr 10: every run diverged, so no numbers at all
  for (const key of ["evalLossMean", "evalLossStd", "evalAccuracyMean", "trainLossMean"]) {
    assertEquals(rows[2][key], null, key);
  }
  assertEquals(rows[2].diverged, 2);
});

Deno.test("summarizeGrid() groups by every configuration column that varies", () => {
  const a = fakeResult([
    { lr: 0.1, seed: 0, losses: [1], evalLosses: [1], hidden: [10] },
    { lr: 0.1, seed: 0, losses: [1], evalLosses: [3], hidden: [20] },
  ]);
  const summary = summarizeGrid(a);
  assertEquals(summary.columns.slice(0, 3), ["lr", "hidden", "runs"]);
  assertEquals(summary.getColumn("hidden").toArray(), ["10", "20"]);
  const byLr = summarizeGrid(a, { by: ["lr"] });
  assertEquals(byLr.height, 1);
  assertEquals(byLr.getColumn("evalLossMean").toArray(), [2]);
});

Deno.test("summarizeGrid() reads concatenated runs frames", () => {
  const runs = pl.concat([mixedResult().runs, mixedResult().runs]);
  assertEquals(summarizeGrid({ runs }).getColumn("runs").toArray(), [4, 4, 4]);
});

Deno.test("summarizeGrid() throws on a by column the runs frame lacks", () => {
  assertThrows(
    () => summarizeGrid(mixedResult(), { by: ["lr", "colour"] }),
    RangeError,
    "Expected by to name columns of the runs frame",
  );
});
