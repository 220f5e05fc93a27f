/**
 * A grid in one table: per configuration, the final numbers' mean and deviation over seeds; and
 * the best row of such a table.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import type { SharedRunField, TrainMlpConfig } from "../../nn/train_mlp.ts";
import { meanStd } from "../../stats/mean_std.ts";
import { byColumns, groupRuns } from "./_group.ts";
import type { EpochMetric, GridResult } from "../results/grid_result.ts";

/** A row of a summary (see {@linkcode summarizeGrid}), typed. */
export type GridSummaryRow =
  & { lr: number; hidden?: string; [column: string]: unknown }
  & Partial<Omit<Pick<TrainMlpConfig, SharedRunField>, "hidden">>
  & { runs: number; ok: number; diverged: number; secondsMean: number | null }
  & { [K in `${Exclude<EpochMetric, "trainAccuracy">}${"Mean" | "Std"}`]: number | null };

/** Options of {@linkcode summarizeGrid} and of the bands. */
export interface SummarizeGridOptions {
  /** The runs frame's columns that define a group. @default {lr and every other that varies} */
  by?: readonly string[];
}

/**
 * Several grids summarised together as typed rows, one per configuration: their runs frames
 * joined (run numbers made unique), then {@linkcode summarizeGrid}.
 *
 * @param grids Grids (of any configurations).
 * @param options The grouping.
 * @returns One row per configuration, sorted by the `by` columns.
 */
export function summarizeGrids(
  grids: readonly Pick<GridResult, "runs">[],
  options: SummarizeGridOptions = {},
): GridSummaryRow[] {
  const pl = polars();
  let offset = 0;
  const runs = grids.map(({ runs }) => {
    const renumbered = runs.withColumns(pl.col("run").add(offset).cast(pl.Int32));
    offset += runs.height;
    return renumbered;
  });
  const joined = runs.length === 1 ? runs[0] : pl.concat(runs);
  return summarizeGrid({ runs: joined }, options).toRecords() as unknown as GridSummaryRow[];
}

/**
 * Summarises a grid per learning rate (and any other varied option): the `by` columns, runs, ok,
 * diverged, then over the runs that did not diverge the mean and sample standard deviation of
 * the final evalLoss, evalAccuracy, trainLoss, trainEvalLoss and trainEvalAccuracy (evalLossMean,
 * evalLossStd, …) and secondsMean. With no run left they are null, and a deviation needs two.
 *
 * @param result A grid's result (only its runs frame is read).
 * @param options The grouping.
 * @returns The summary frame, a row per group, sorted.
 *
 * @example One learning rate diverged in every run
 * ```ts
 * import { summarizeGrid } from "./summarize_grid.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const summary = summarizeGrid(mixedResult()).toRecords();
 * const counts = summary.map((row) => [row.lr, row.ok, row.diverged]);
 * assertEquals(counts, [[0.1, 2, 0], [1, 1, 1], [10, 0, 2]]);
 * assertEquals(summary[2].evalLossMean, null);
 * ```
 */
export function summarizeGrid(
  result: Pick<GridResult, "runs">,
  options: SummarizeGridOptions = {},
): DataFrame {
  const pl = polars();
  const { runs } = result;
  const { by, groups } = groupRuns(runs, options.by);
  const index = new Map((runs.getColumn("run").toArray() as number[]).map((id, i) => [id, i]));
  const stats = (name: string) => {
    const column = runs.getColumn(name).toArray() as (number | null)[];
    return groups.map((group) => {
      const values = group.ok.map((id) => column[index.get(id)!]).filter((v) => v !== null);
      return values.length === 0 ? { mean: null, std: null } : meanStd(values);
    });
  };
  const series = (name: string, values: (number | null)[]) => pl.Series(name, values, pl.Float64);
  const count = (name: string, values: number[]) => pl.Series(name, values, pl.Int32);
  return pl.DataFrame([
    ...byColumns(runs, by, groups.map((group) => group.values)),
    count("runs", groups.map((g) => g.runs.length)),
    count("ok", groups.map((g) => g.ok.length)),
    count("diverged", groups.map((g) => g.diverged)),
    ...["evalLoss", "evalAccuracy", "trainLoss", "trainEvalLoss", "trainEvalAccuracy"].flatMap(
      (name) => {
        const s = stats(name);
        return [
          series(`${name}Mean`, s.map((x) => x.mean)),
          series(`${name}Std`, s.map((x) => x.std)),
        ];
      },
    ),
    series("secondsMean", stats("seconds").map((s) => s.mean)),
  ]);
}

/** What {@linkcode bestRow} reads of a row. */
type Scored = Pick<GridSummaryRow, "diverged" | "evalAccuracyMean" | "evalLossMean">;

/**
 * The row with the highest mean validation accuracy among those where no run diverged (a tie
 * goes to the lower mean loss). Throws a RangeError when every row has a diverged run.
 *
 * @param rows Summary rows, e.g. from {@linkcode summarizeGrids}.
 * @returns The best row.
 *
 * @example
 * ```ts
 * import { bestRow } from "./summarize_grid.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const row = (lr: number, accuracy: number, diverged = 0) =>
 *   ({ lr, runs: 3, ok: 3 - diverged, diverged, evalAccuracyMean: accuracy, evalLossMean: 1 - accuracy });
 * assertEquals(bestRow([row(0.1, 0.9), row(0.3, 0.95), row(1, 0.97, 1)]).lr, 0.3);
 * ```
 */
export function bestRow<T extends Scored>(rows: readonly T[]): T {
  const candidates = rows.filter((r) => r.diverged === 0 && r.evalAccuracyMean !== null);
  if (candidates.length === 0) {
    throw new RangeError(
      `Expected a row where no run diverged among the ${rows.length} rows but found none`,
    );
  }
  return candidates.reduce((a, b) =>
    b.evalAccuracyMean! > a.evalAccuracyMean! ||
      (b.evalAccuracyMean === a.evalAccuracyMean && b.evalLossMean! < a.evalLossMean!)
      ? b
      : a
  );
}
