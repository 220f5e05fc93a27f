/**
 * The learning curves of a grid as bands: per learning rate and step, the mean ± one standard
 * deviation of the batch loss over seeds, ready for an Observable Plot area and line.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { bandColumns, byColumns, groupRuns, resolveBy } from "./_group.ts";
import type { GridResult } from "../results/grid_result.ts";
import { evenlySpaced } from "../../stats/learning_curve.ts";
import { runningMean } from "../../stats/running_mean.ts";
import { checkInteger } from "../../options/option_rules.ts";

/** Options of {@linkcode batchLossBand}. */
export interface BatchLossBandOptions {
  /**
   * The runs frame's columns that define a group (one band each).
   *
   * @default {["lr"] plus every other configuration column whose value varies between runs}
   */
  by?: readonly string[];
  /**
   * Smooth each run's losses first with a centred running mean over this many steps
   * ({@linkcode runningMean}); 1 leaves them as they are.
   *
   * @default {1}
   */
  window?: number;
  /** At most this many steps per group, spread evenly from the first to the last. @default {1000} */
  numPoints?: number;
}

/**
 * Per group (learning rate, and any other varied option) and step, the mean and sample standard
 * deviation over the group's runs of the batch loss, with `lo` = mean − std and `hi` = mean + std
 * (both the mean when a single run is left, its std null). Diverged runs are left out whole —
 * their losses stop being numbers that mean anything — and `n` says how many runs each point
 * averages.
 *
 * Columns: the `by` columns, step, mean, std, lo, hi, n.
 *
 * @param result A grid's result (its runs and batches frames).
 * @param options The grouping, smoothing and number of points.
 * @returns The band frame, sorted by group then step.
 *
 * @example Plot-ready bands
 * ```ts
 * import { batchLossBand, runGrid } from "../../mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const grid = await runGrid({
 *   lrs: [0.1, 0.3], seeds: [0, 1], epochs: 1, hidden: [8], trainLimit: 200, evalLimit: 50,
 *   workers: 1, progress: "none",
 * });
 * const band = batchLossBand(grid, { window: 2 });
 * assertEquals(band.columns, ["lr", "step", "mean", "std", "lo", "hi", "n"]);
 * assertEquals(band.height, 2 * 4); // 200 / 50 = 4 steps per learning rate
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
  const by = resolveBy(runs, options.by);
  const groups = groupRuns(runs, by);
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
    ...byColumns(runs, by, groups, points.map((p) => p.group)),
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
  if (window > 1) {
    for (const [id, raw] of curves) curves.set(id, runningMean(raw, window));
  }
  return curves;
}
