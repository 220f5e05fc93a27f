/**
 * A grid's per-epoch numbers as bands, mean ± one standard deviation over seeds, ready to plot.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { bandColumns, byColumns, groupRuns } from "./_group.ts";
import { EPOCH_METRICS, type EpochMetric, type GridResult } from "../results/grid_result.ts";
import type { SummarizeGridOptions } from "./summarize_grid.ts";

/** Options of {@linkcode epochBand}: the metrics and the grouping. */
export interface EpochBandOptions extends SummarizeGridOptions {
  /** The metrics, one band each per group (see the `metric` column). @default {["trainLoss", "evalLoss"]} */
  metrics?: readonly EpochMetric[];
}

/**
 * Per group (learning rate, and any other varied option), metric and epoch, the mean and sample
 * standard deviation over the group's runs that did not diverge: columns `by`, metric, epoch,
 * mean, std, lo = mean − std, hi = mean + std (both the mean for one run) and n, the runs.
 *
 * @param result A grid's result (its runs and epochs frames).
 * @param options The metrics and the grouping.
 * @returns The band frame, sorted by group, metric (in the order given), then epoch.
 *
 * @example Validation loss per learning rate and epoch, over the runs that did not diverge
 * ```ts
 * import { epochBand } from "./epoch_band.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const band = epochBand(mixedResult(), { metrics: ["evalLoss"] }).toRecords();
 * assertEquals(band.map((r) => [r.lr, r.epoch, r.mean, r.n]), [
 *   [0.1, 1, 3, 2], [0.1, 2, 2, 2], [1, 1, 1.5, 1], [1, 2, 1.25, 1],
 * ]);
 * // Plot.areaY(band, { x: "epoch", y1: "lo", y2: "hi", fill: "lr" })
 * ```
 */
export function epochBand(
  result: Pick<GridResult, "runs" | "epochs">,
  options: EpochBandOptions = {},
): DataFrame {
  const pl = polars();
  const { metrics = ["trainLoss", "evalLoss"] } = options;
  if (metrics.length === 0 || metrics.some((m) => !EPOCH_METRICS.includes(m))) {
    throw new RangeError(
      `Expected metrics to be a non-empty list of ${EPOCH_METRICS.join(", ")} but found ` +
        `[${metrics.join(", ")}]`,
    );
  }
  const { runs, epochs } = result;
  const { by, groups } = groupRuns(runs, options.by);
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
    ...byColumns(runs, by, points.map((p) => groups[p.group].values)),
    pl.Series("metric", points.map((p) => p.metric), pl.String),
    pl.Series("epoch", points.map((p) => p.epoch), pl.Int32),
    ...bandColumns(points.map((p) => p.xs)),
  ]);
}
