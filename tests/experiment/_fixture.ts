/**
 * Grid results made by hand, for the tests of the summaries and the file format, and the
 * options of a quick grid on a slice of MNIST.
 *
 * @module
 */

import { type EpochRecord, resolveTrainMlpConfig } from "../../lib/nn/train_mlp.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { type GridConfig, GridResult } from "../../lib/experiment/results/grid_result.ts";
import type { RunDivergence, RunRecord } from "../../lib/experiment/results/run_record.ts";
import type { RunGridOptions } from "../../lib/experiment/run/run_grid.ts";

/** A quick grid: 400 training and 100 validation images, a hidden layer of 8, 1 epoch, no display. */
export const QUICK: Omit<RunGridOptions, "lrs"> = {
  epochs: 1,
  hidden: [8],
  trainLimit: 400,
  evalLimit: 100,
  progress: "none",
  store: null, // every run trained: the run store's own tests pass one
};

/** One hand-made run. */
export interface FakeRun {
  lr: number;
  seed: number;
  /** Batch losses; numBatches is 2, so their count sets the epochs. */
  losses: number[];
  /** evalLoss of each completed epoch (the other numbers derive from it). */
  evalLosses: number[];
  diverged?: RunDivergence;
  hidden?: number[];
}

/** A grid result from hand-made runs (2 batches per epoch). */
export function fakeResult(runs: FakeRun[], overrides: Partial<GridConfig> = {}): GridResult {
  const records = runs.map((fake, run): RunRecord => ({
    run,
    config: resolveTrainMlpConfig({
      lr: fake.lr,
      seed: fake.seed,
      epochs: 2,
      hidden: fake.hidden ?? [300],
      trainEvalSize: 100,
      backend: jsBackend,
    }),
    numBatches: 2,
    batchLosses: Float32Array.from(fake.losses),
    epochs: fake.evalLosses.map((evalLoss, i): EpochRecord => ({
      epoch: i + 1,
      trainLoss: evalLoss + 0.5,
      trainAccuracy: 1 - evalLoss / 10,
      trainEvalLoss: evalLoss - 0.25,
      trainEvalAccuracy: 1 - evalLoss / 8,
      evalLoss,
      evalAccuracy: 1 - evalLoss / 5,
      trainSeconds: 0.25,
    })),
    diverged: fake.diverged ?? null,
    seconds: 1 + run,
  }));
  const { lr: _, seed: __, evaluateEachEpoch: ___, backend: ____, ...shared } =
    records[0]?.config ??
      resolveTrainMlpConfig({ lr: 1, seed: 0, epochs: 2, trainEvalSize: 100, backend: jsBackend });
  const config: GridConfig = {
    ...shared,
    hidden: [300],
    lrs: [...new Set(runs.map((r) => r.lr))],
    seeds: [...new Set(runs.map((r) => r.seed))],
    backend: "js",
    blasThreads: null,
    workers: 1,
    split: "validation",
    dataDir: null,
    trainSize: 100,
    evalSize: 20,
    runsReused: 0,
    runsTrained: 3,
    runsAudited: 0,
    startedAt: "2024-05-01T12:00:00.000Z",
    seconds: 12.5,
    ...overrides,
  };
  return new GridResult(config, records);
}

/** Runs at three learning rates: two fine, one fine and one diverged, two diverged. */
export function mixedResult(): GridResult {
  const diverged = (step: number, loss: number): RunDivergence => ({
    reason: Number.isFinite(loss) ? "exploding loss" : "non-finite loss",
    step,
    epoch: 1,
    loss,
  });
  return fakeResult([
    { lr: 0.1, seed: 0, losses: [4, 3, 2, 1], evalLosses: [2, 1] },
    { lr: 0.1, seed: 1, losses: [6, 5, 4, 3], evalLosses: [4, 3] },
    { lr: 1, seed: 0, losses: [2, 2, 2, 2], evalLosses: [1.5, 1.25] },
    { lr: 1, seed: 1, losses: [2, NaN], evalLosses: [], diverged: diverged(2, NaN) },
    { lr: 10, seed: 0, losses: [200], evalLosses: [], diverged: diverged(1, 200) },
    { lr: 10, seed: 1, losses: [3, Infinity], evalLosses: [], diverged: diverged(2, Infinity) },
  ]);
}
