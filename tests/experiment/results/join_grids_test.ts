import { assertEquals, assertThrows } from "@std/assert";
import { joinGrids } from "../../../lib/experiment/results/merge_grid_results.ts";
import { summarizeGrid } from "../../../lib/experiment/summary/summarize_grid.ts";
import { fakeResult } from "../_fixture.ts";

const run = (lr: number, seed: number, evalLoss: number) => ({
  lr,
  seed,
  losses: [3, 2, 2, 1],
  evalLosses: [2, evalLoss],
});

Deno.test("joinGrids() appends the second grid's runs, renumbered, and summarises as one grid", () => {
  const first = fakeResult([run(0.1, 0, 1), run(0.1, 1, 3)], { seconds: 2 });
  const second = fakeResult([run(1, 0, 0.5), run(1, 2, 0.7)], { seconds: 3 });
  const joined = joinGrids(first, second);
  assertEquals(joined.config.lrs, [0.1, 1]);
  assertEquals(joined.config.seeds, [0, 1, 2]);
  assertEquals(joined.config.seconds, 5);
  assertEquals(joined.runs.getColumn("run").toArray(), [0, 1, 2, 3]);
  assertEquals(joined.runs.getColumn("seed").toArray(), [0, 1, 0, 2]);
  assertEquals(joined.batches.height, 16);
  const summary = summarizeGrid(joined).toRecords();
  assertEquals(summary.map((r) => [r.lr, r.runs, r.evalLossMean]), [[0.1, 2, 2], [1, 2, 0.6]]);
});

Deno.test("joinGrids() names the configuration field in which two grids differ", () => {
  const first = fakeResult([run(0.1, 0, 1)]);
  const second = fakeResult([run(1, 0, 1)], { momentum: 0.9 });
  assertThrows(
    () => joinGrids(first, second),
    RangeError,
    "Cannot join grids of different configurations: momentum (0 in the first, 0.9 in the second)",
  );
});
