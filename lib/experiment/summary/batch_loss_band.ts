/**
 * A grid's learning curves as bands, mean ± one standard deviation over seeds, ready to plot.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { bandColumns, byColumns, groupRuns } from "./_group.ts";
import type { SummarizeGridOptions } from "./summarize_grid.ts";
import type { GridResult } from "../results/grid_result.ts";
import { evenlySpaced } from "../../stats/learning_curve.ts";
import { runningMean } from "../../stats/running_mean.ts";
import { checkInteger } from "../../options/option_rules.ts";

/** Options of {@linkcode batchLossBand}: the grouping, smoothing and number of points. */
export interface BatchLossBandOptions extends SummarizeGridOptions {
  /** Smooth each run's losses by a centred running mean over this many steps. @default {1} */
  window?: number;
  /** At most this many steps per group, spread evenly from the first to the last. @default {1000} */
  numPoints?: number;
}

/**
 * Per group (learning rate, and any other varied option) and step, the mean and sample standard
 * deviation of the batch loss over the group's runs that did not diverge: columns `by`, step,
 * mean, std, lo = mean − std, hi = mean + std (both the mean for one run) and n, the runs.
 *
 * @param result A grid's result (its runs and batches frames).
 * @param options The grouping, smoothing and number of points.
 * @returns The band frame, sorted by group then step.
 *
 * @example Plot-ready bands
 * ```ts
 * import { batchLossBand } from "./batch_loss_band.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const band = batchLossBand(mixedResult(), { window: 2 });
 * assertEquals(band.columns, ["lr", "step", "mean", "std", "lo", "hi", "n"]);
 * assertEquals(band.height, 2 * 4); // 4 steps for lr 0.1 and 1; every run at lr 10 diverged
 * // Plot.areaY(band.toRecords(), { x: "step", y1: "lo", y2: "hi", fill: "lr" }) and
 * // Plot.lineY(band.toRecords(), { x: "step", y: "mean", stroke: "lr" })
 * ```
 */
export function batchLossBand(
  result: Pick<GridResult, "runs" | "batches">,
  options: BatchLossBandOptions = {},
): DataFrame {
  const pl = polars();
  const { window = 1, numPoints = 1000 } = options;
  checkInteger("window", window, 1);
  checkInteger("numPoints", numPoints, 1);
  const { runs, batches } = result;
  const { by, groups } = groupRuns(runs, options.by);
  const curves = runCurves(batches, window);
  const points: { group: number; step: number; xs: number[] }[] = [];
  groups.forEach((group, g) => {
    const members = group.ok.map((id) => curves.get(id)).filter((c) => c !== undefined);
    for (const i of evenlySpaced(Math.max(0, ...members.map((c) => c.length)), numPoints)) {
      const xs = members.filter((c) => i < c.length).map((c) => c[i]);
      points.push({ group: g, step: i + 1, xs });
    }
  });
  return pl.DataFrame([
    ...byColumns(runs, by, points.map((p) => groups[p.group].values)),
    pl.Series("step", points.map((p) => p.step), pl.Int32),
    ...bandColumns(points.map((p) => p.xs)),
  ]);
}

/** Each run's losses by step (index step − 1), smoothed by a centred running mean. */
function runCurves(batches: DataFrame, window: number): Map<number, Float64Array> {
  const run = batches.getColumn("run").toArray() as number[];
  const step = batches.getColumn("step").toArray() as number[];
  const loss = batches.getColumn("loss").toArray() as number[];
  const lengths = new Map<number, number>();
  run.forEach((id, i) => lengths.set(id, Math.max(lengths.get(id) ?? 0, step[i])));
  const curves = new Map<number, Float64Array>();
  for (const [id, length] of lengths) curves.set(id, new Float64Array(length));
  run.forEach((id, i) => curves.get(id)![step[i] - 1] = loss[i]);
  if (window === 1) return curves;
  for (const [id, raw] of curves) curves.set(id, runningMean(raw, window));
  return curves;
}
