import { assertEquals, assertThrows } from "@std/assert";
import { bestRow } from "../../../lib/experiment/summary/summarize_grid.ts";
import { summarizeGrids } from "../../../lib/experiment/summary/summarize_grid.ts";
import { fakeResult, mixedResult } from "../_fixture.ts";

const row = (lr: number, accuracy: number | null, loss: number | null, diverged = 0) => ({
  lr,
  diverged,
  evalAccuracyMean: accuracy,
  evalLossMean: loss,
});

Deno.test("bestRow() takes the highest accuracy among rows with no diverged run, ties to the lower loss", () => {
  assertEquals(bestRow([row(0.1, 0.9, 0.3), row(0.3, 0.95, 0.2), row(1, 0.99, 0.1, 1)]).lr, 0.3);
  assertEquals(bestRow([row(0.1, 0.95, 0.3), row(0.3, 0.95, 0.2)]).lr, 0.3);
});

Deno.test("bestRow() of rows that all diverged is a RangeError, not a silent pick", () => {
  assertThrows(
    () => bestRow([row(10, null, null, 3)]),
    RangeError,
    "Expected a row where no run diverged among the 1 rows but found none",
  );
});

Deno.test("summarizeGrids() joins grids of different configurations into typed rows", () => {
  const other = fakeResult([{
    lr: 0.1,
    seed: 0,
    losses: [1, 1, 1, 1],
    evalLosses: [1, 0.5],
    hidden: [20],
  }]);
  const rows = summarizeGrids([mixedResult(), other], { by: ["hidden", "lr"] });
  assertEquals(rows.map((r) => [r.hidden, r.lr, r.runs]), [["20", 0.1, 1], ["300", 0.1, 2], [
    "300",
    1,
    2,
  ], ["300", 10, 2]]);
  assertEquals(rows[0].evalLossMean, 0.5);
});
