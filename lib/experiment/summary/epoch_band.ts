/**
 * Per-epoch numbers of a grid as bands: per learning rate, metric and epoch, the mean ± one
 * standard deviation over seeds, ready for an Observable Plot area and line.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { bandColumns, byColumns, groupRuns, resolveBy } from "./_group.ts";
import { EPOCH_METRICS, type EpochMetric, type GridResult } from "../results/grid_result.ts";

/** Options of {@linkcode epochBand}. */
export interface EpochBandOptions {
  /** The metrics, one band each per group (the `metric` column says which). @default {["trainLoss", "evalLoss"]} */
  metrics?: readonly EpochMetric[];
  /**
   * The runs frame's columns that define a group.
   *
   * @default {["lr"] plus every other configuration column whose value varies between runs}
   */
  by?: readonly string[];
}

/**
 * Per group (learning rate, and any other varied option), metric and epoch, the mean and sample
 * standard deviation over the group's runs, with `lo` = mean − std and `hi` = mean + std (both
 * the mean when one run is left, its std null) and `n` the runs averaged. Diverged runs are left
 * out whole. With the default metrics it draws the training loss (mean over the epoch's batches)
 * against the validation loss after each epoch.
 *
 * Columns: the `by` columns, metric, epoch, mean, std, lo, hi, n.
 *
 * @param result A grid's result (its runs and epochs frames).
 * @param options The metrics and the grouping.
 * @returns The band frame, sorted by group, metric (in the order given), then epoch.
 *
 * @example Training against validation loss
 * ```ts
 * import { epochBand, runGrid } from "../../mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const grid = await runGrid({
 *   lrs: [0.3], seeds: [0, 1, 2], epochs: 2, hidden: [8], trainLimit: 200, evalLimit: 50,
 *   workers: 1, progress: "none",
 * });
 * const band = epochBand(grid);
 * assertEquals(band.getColumn("metric").toArray(), ["trainLoss", "trainLoss", "evalLoss", "evalLoss"]);
 * assertEquals(band.getColumn("n").toArray(), [3, 3, 3, 3]);
 * // Plot.areaY(band.toRecords(), { x: "epoch", y1: "lo", y2: "hi", fill: "metric", fillOpacity: 0.2 })
 * ```
 */
export function epochBand(
  result: Pick<GridResult, "runs" | "epochs">,
  options: EpochBandOptions = {},
): DataFrame {
  const pl = polars();
  const { metrics = ["trainLoss", "evalLoss"] } = options;
  const bad = metrics.filter((m) => !EPOCH_METRICS.includes(m));
  if (metrics.length === 0 || bad.length > 0) {
    throw new RangeError(
      `Expected metrics to be a non-empty list of ${EPOCH_METRICS.join(", ")} but found ` +
        `[${metrics.join(", ")}]`,
    );
  }
  const { runs, epochs } = result;
  const by = resolveBy(runs, options.by);
  const groups = groupRuns(runs, by);
  const run = epochs.getColumn("run").toArray() as number[];
  const epoch = epochs.getColumn("epoch").toArray() as number[];
  const values = Object.fromEntries(
    metrics.map((m) => [m, epochs.getColumn(m).toArray() as number[]]),
  );
  const points: { group: number; metric: string; epoch: number; xs: number[] }[] = [];
  groups.forEach((group, g) => {
    const members = new Set(group.ok);
    const rows = run.map((_, i) => i).filter((i) => members.has(run[i]));
    const numEpochs = Math.max(0, ...rows.map((i) => epoch[i]));
    for (const metric of metrics) {
      for (let e = 1; e <= numEpochs; e++) {
        const xs = rows.filter((i) => epoch[i] === e).map((i) => values[metric][i]);
        if (xs.length > 0) points.push({ group: g, metric, epoch: e, xs });
      }
    }
  });
  return pl.DataFrame([
    ...byColumns(runs, by, groups, points.map((p) => p.group)),
    pl.Series("metric", points.map((p) => p.metric), pl.String),
    pl.Series("epoch", points.map((p) => p.epoch), pl.Int32),
    ...bandColumns(points.map((p) => p.xs)),
  ]);
}
