import { assert, assertEquals, assertThrows } from "@std/assert";
import pl from "nodejs-polars";
import { EPOCH_METRICS, GridResult } from "../../../lib/experiment/results/grid_result.ts";
import { mixedResult } from "../_fixture.ts";

Deno.test("GridResult() has one runs row per run, with the configuration and the final numbers", () => {
  const result = mixedResult();
  const runs = result.runs.toRecords();
  assertEquals(runs.length, 6);
  assertEquals(runs[1].lr, 0.1);
  assertEquals(runs[1].seed, 1);
  assertEquals(runs[1].hidden, "300");
  assertEquals(runs[1].split, "validation");
  assertEquals(runs[1].status, "ok");
  assertEquals(runs[1].divergedStep, null);
  assertEquals(runs[1].epochsDone, 2);
  assertEquals(runs[1].evalLoss, 3);
  assertEquals(runs[1].trainLoss, 3.5);
});

Deno.test("GridResult() shows a diverged run as diverged, with no final numbers", () => {
  const runs = mixedResult().runs.toRecords();
  assertEquals(runs[3].status, "diverged");
  assertEquals(runs[3].divergedStep, 2);
  assertEquals(runs[3].divergedEpoch, 1);
  assert(Number.isNaN(runs[3].divergedLoss));
  for (const key of EPOCH_METRICS) assertEquals(runs[3][key], null, key);
  assertEquals(runs[4].divergedLoss, 200);
});

Deno.test("GridResult() has epochs and batches frames keyed by run, with steps and epochs", () => {
  const result = mixedResult();
  assertEquals(result.epochs.height, 6);
  assertEquals(result.epochs.columns, [
    "run",
    "lr",
    "seed",
    "epoch",
    "trainLoss",
    "trainAccuracy",
    "trainEvalLoss",
    "trainEvalAccuracy",
    "evalLoss",
    "evalAccuracy",
    "trainSeconds",
  ]);
  assertEquals(result.batches.columns, ["run", "lr", "seed", "step", "epoch", "loss"]);
  const first = result.batches.filter(pl.col("run").eq(0)).toRecords();
  assertEquals(first.map((row) => [row.step, row.epoch, row.loss]), [
    [1, 1, 4],
    [2, 1, 3],
    [3, 2, 2],
    [4, 2, 1],
  ]);
  assertEquals(result.batches.height, 4 + 4 + 4 + 2 + 1 + 2);
});

Deno.test("GridResult() holds some of a grid's runs, in run order, each once", () => {
  const { config, records } = mixedResult();
  const some = new GridResult(config, [records[4], records[1]]);
  assertEquals(some.runs.getColumn("run").toArray(), [1, 4]);
  assertThrows(
    () => new GridResult(config, [records[1], records[1]]),
    RangeError,
    "Expected each run index once but found run 1 twice",
  );
});
