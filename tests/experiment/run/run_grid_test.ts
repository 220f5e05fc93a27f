import { assert, assertEquals, assertGreater, assertRejects } from "@std/assert";
import type pl from "nodejs-polars";
import { runGrid } from "../../../lib/experiment/run/run_grid.ts";
import type { GridResult } from "../../../lib/experiment/results/grid_result.ts";
import { availableBackends, type BackendName } from "../../../lib/tensor/get_backend.ts";
import { writeMnistDir } from "../../data/_idx_fixture.ts";
import { QUICK } from "../_fixture.ts";

/** The frames without the columns that hold times, which differ from run to run. */
function withoutTimes(result: GridResult): pl.DataFrame[] {
  return [
    result.runs.drop("seconds"),
    result.epochs.drop("trainSeconds"),
    result.batches,
  ];
}

Deno.test("runGrid() records every run of learning rates × seeds", async () => {
  const grid = await runGrid({ ...QUICK, lrs: [0.1, 0.3], seeds: [5, 6], workers: 1 });
  const runs = grid.runs.toRecords();
  assertEquals(runs.map((r) => [r.run, r.lr, r.seed, r.status]), [
    [0, 0.1, 5, "ok"],
    [1, 0.1, 6, "ok"],
    [2, 0.3, 5, "ok"],
    [3, 0.3, 6, "ok"],
  ]);
  assertEquals([runs[0].trainSize, runs[0].evalSize, runs[0].numBatches], [400, 100, 8]);
  assertEquals([runs[0].hidden, runs[0].batchSize, runs[0].epochs], ["8", 50, 1]);
  assertEquals(grid.batches.height, 4 * 8);
  assertEquals(grid.epochs.height, 4);
  assertEquals(grid.config.split, "validation");
  assertEquals(grid.config.lrs, [0.1, 0.3]);
  assertEquals(grid.config.seeds, [5, 6]);
  assertEquals(grid.config.workers, 1);
  // the last epoch's numbers are the run's final numbers
  const epochs = grid.epochs.toRecords();
  assertEquals(runs.map((r) => r.evalLoss), epochs.map((e) => e.evalLoss));
  assertGreater(runs[0].seconds as number, 0);
  // different seeds, different runs
  assert(runs[0].evalLoss !== runs[1].evalLoss);
});

Deno.test("runGrid() gives the same numbers in parallel workers as one after the other", async () => {
  for (const backend of availableBackends()) {
    const options = {
      ...QUICK,
      lrs: [0.3, 1000],
      seeds: [0, 1],
      backend: backend.name as BackendName,
    };
    const threads = backend.threads?.count() ?? null; // OpenBLAS's, process-wide
    const sequential = await runGrid({ ...options, workers: 1 });
    const parallel = await runGrid({ ...options, workers: 2 });
    assertEquals(parallel.config.workers, 2);
    assertEquals(sequential.config.workers, 1);
    const [a, b] = [withoutTimes(sequential), withoutTimes(parallel)];
    for (let i = 0; i < a.length; i++) assert(a[i].frameEqual(b[i]), `${backend.name}: frame ${i}`);
    if (threads !== null) {
      assertEquals(backend.threads!.count(), threads, "OpenBLAS's threads restored");
      assertEquals(parallel.config.blasThreads, 1);
    }
  }
});

Deno.test("runGrid() records a run that trainMlp's rule stops as diverged, with the reason", async () => {
  // batches of 2: 200 steps, enough for the rule's running mean of 100 batch losses
  const grid = await runGrid({ ...QUICK, lrs: [1000], batchSize: 2, workers: 1 });
  const [run] = grid.runs.toRecords();
  assertEquals(run.status, "diverged");
  assertEquals(run.divergedReason, "exploding loss");
  assertEquals(run.evalLoss, null);
  assertEquals(run.epochsDone, 0);
  const step = run.divergedStep as number;
  assertEquals(grid.batches.height, step);
  const last100 = grid.records[0].batchLosses.subarray(step - 100, step);
  assertGreater(last100.reduce((s, l) => s + l, 0) / 100, 3 * Math.log(10));
  assertEquals(run.divergedLoss, grid.records[0].batchLosses[step - 1]);
});

Deno.test("runGrid() records a loss that becomes infinite as diverged, even with the rule off", async () => {
  const grid = await runGrid({
    ...QUICK,
    lrs: [1e300],
    stopOnDivergence: false,
    workers: 1,
    backend: "js",
  });
  const record = grid.records[0];
  assert(record.diverged !== null);
  assertEquals(record.diverged.reason, "non-finite loss");
  assert(!Number.isFinite(record.diverged.loss));
  assertEquals(record.batchLosses.length, record.diverged.step);
});

Deno.test("runGrid() reports progress, epochs and runs, in process and from workers", async () => {
  for (const workers of [1, 2]) {
    let last = { stepsDone: -1, totalSteps: 0 };
    const epochs: number[] = [];
    const runs: number[] = [];
    await runGrid({
      ...QUICK,
      epochs: 2,
      lrs: [0.1, 0.2],
      workers,
      onProgress: (p) => {
        assert(p.stepsDone >= last.stepsDone);
        last = p;
      },
      onEpoch: (e) => epochs.push(e.run * 10 + e.record.epoch),
      onRun: (record) => runs.push(record.run),
    });
    assertEquals(last.totalSteps, 2 * 2 * 8);
    assertEquals(epochs.sort((a, b) => a - b), [1, 2, 11, 12]);
    assertEquals(runs.sort(), [0, 1]);
  }
});

Deno.test("runGrid() trains on any directory of gzipped IDX files, in workers too", async () => {
  using dir = writeMnistDir({ numTrain: 60, numTest: 20, side: 4, gzip: true });
  const grid = await runGrid({
    lrs: [0.5],
    seeds: [0, 1],
    epochs: 1,
    hidden: [4],
    batchSize: 10,
    final: true,
    dir: dir.path,
    workers: 2,
    progress: "none",
  });
  assertEquals(grid.config.split, "test");
  assertEquals(grid.config.dataDir, dir.path);
  assertEquals([grid.config.trainSize, grid.config.evalSize], [60, 20]);
  assertEquals(grid.runs.getColumn("split").toArray(), ["test", "test"]);
});

Deno.test("runGrid() throws on a bad option before any work, naming it", async () => {
  const cases: [Record<string, unknown>, ErrorConstructor, string][] = [
    [{ lrs: [] }, RangeError, "Expected lrs to be a non-empty array but found []"],
    [
      { lrs: [0.1, -1] },
      RangeError,
      "Expected lr to be a finite number greater than 0 but found -1",
    ],
    [{ lrs: [0.1], seeds: [1.5] }, RangeError, "Expected seed to be a safe integer but found 1.5"],
    [{ lrs: [0.1], batchSize: 0 }, RangeError, "Expected batchSize to be an integer of at least 1"],
    [{ lrs: [0.1], workers: 0 }, RangeError, "Expected workers to be an integer of at least 1"],
    [{ lrs: [0.1], blasThreads: 0 }, RangeError, "Expected blasThreads to be null or an integer"],
    [{ lrs: [0.1], dir: "/no/such/dir" }, Error, "Cannot find the MNIST directory /no/such/dir"],
  ];
  for (const [options, ErrorClass, message] of cases) {
    await assertRejects(() => runGrid({ ...QUICK, ...options } as never), ErrorClass, message);
  }
});

Deno.test("runGrid() rejects with a worker's error, as the same class", async () => {
  await assertRejects(
    () => runGrid({ ...QUICK, lrs: [0.1, 0.2], trainLimit: -1, workers: 2 }),
    RangeError,
    "Expected trainLimit to be a non-negative integer or Infinity but found -1",
  );
});

Deno.test({
  name: "runGrid() holds OpenBLAS to 1 thread when runs go in parallel",
  ignore: !availableBackends().some((b) => b.name === "openblas"),
  fn: async () => {
    await assertRejects(
      () => runGrid({ ...QUICK, lrs: [0.1, 0.2], workers: 2, blasThreads: 2, backend: "openblas" }),
      RangeError,
      "Expected blasThreads to be 1 when runs go in parallel (workers 2)",
    );
  },
});

Deno.test("runGrid() checkpoints every finished run, and a resumed grid runs only the rest, to the same numbers", async () => {
  const plan = { ...QUICK, lrs: [0.1, 0.3], seeds: [0, 1] };
  const checkpoints: GridResult[] = [];
  const whole = await runGrid({
    ...plan,
    workers: 2,
    onCheckpoint: (partial) => checkpoints.push(partial),
  });
  assertEquals(checkpoints.map((c) => c.records.length), [1, 2, 3, 4]);
  const killedAfterTwo = checkpoints[1];
  const ran: number[] = [];
  const resumed = await runGrid({
    ...plan,
    workers: 1,
    resume: killedAfterTwo,
    onRun: (r) => ran.push(r.run),
  });
  assertEquals(ran.length, 2);
  assert(!ran.some((run) => killedAfterTwo.records.some((r) => r.run === run)));
  const [a, b] = [withoutTimes(resumed), withoutTimes(whole)];
  for (let i = 0; i < a.length; i++) assert(a[i].frameEqual(b[i]), `frame ${i} differs`);
});

Deno.test("runGrid() refuses to resume another grid, naming what differs", async () => {
  const first = await runGrid({ ...QUICK, lrs: [0.1], workers: 1 });
  await assertRejects(
    () => runGrid({ ...QUICK, lrs: [0.1], epochs: 2, workers: 1, resume: first }),
    RangeError,
    "Expected resume to be a result of this same grid but found one that differs in epochs (1 there, 2 here)",
  );
});

Deno.test("runGrid() refuses a batch larger than the training set before any run", async () => {
  await assertRejects(
    () => runGrid({ ...QUICK, lrs: [0.1], batchSize: 401, workers: 1 }),
    RangeError,
    "Expected batchSize to be at most the 400 training examples but found 401",
  );
});

Deno.test("runGrid() resuming a finished grid runs nothing and gives back its runs", async () => {
  const plan = { ...QUICK, lrs: [0.1, 0.3] };
  const whole = await runGrid({ ...plan, workers: 1 });
  const ran: number[] = [];
  const again = await runGrid({ ...plan, resume: whole, onRun: (r) => ran.push(r.run) });
  assertEquals(ran, []);
  assert(again.batches.frameEqual(whole.batches));
});
