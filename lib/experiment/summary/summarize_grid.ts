/**
 * A grid in one table: per learning rate (and whatever else varies), the mean and standard
 * deviation over seeds of the final numbers, diverged runs counted apart.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { byColumns, groupRuns, meanStdOrNull, resolveBy } from "./_group.ts";
import type { GridResult } from "../results/grid_result.ts";

/**
 * A row of a summary: the `by` columns' values (lr and the configuration fields, as in the runs
 * frame), the run counts, and the means and standard deviations over the runs that did not
 * diverge (null where none is left, a deviation null below two runs).
 */
export interface GridSummaryRow {
  lr: number;
  batchSize?: number;
  hidden?: string;
  activation?: string;
  optimizer?: string;
  momentum?: number;
  schedule?: string;
  init?: string;
  [column: string]: unknown;
  runs: number;
  ok: number;
  diverged: number;
  evalLossMean: number | null;
  evalLossStd: number | null;
  evalAccuracyMean: number | null;
  evalAccuracyStd: number | null;
  trainLossMean: number | null;
  trainLossStd: number | null;
  trainEvalLossMean: number | null;
  trainEvalLossStd: number | null;
  trainEvalAccuracyMean: number | null;
  trainEvalAccuracyStd: number | null;
  secondsMean: number | null;
}

/**
 * Several grids summarised together as typed rows, one per configuration: their runs frames
 * joined (run numbers made unique), then {@linkcode summarizeGrid}.
 *
 * @param grids Grids (of any configurations).
 * @param options The grouping. @default {lr and every configuration column that varies}
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

/** Options of {@linkcode summarizeGrid}. */
export interface SummarizeGridOptions {
  /**
   * The runs frame's columns that define a group.
   *
   * @default {["lr"] plus every other configuration column whose value varies between runs}
   */
  by?: readonly string[];
}

/**
 * Summarises a grid per learning rate (and any other varied option): how many runs, how many
 * diverged, and over the runs that did not the mean and sample standard deviation of the final
 * validation (or test) loss and accuracy, of the final epoch's training loss (the mean of its
 * batch losses) and, where measured, of the loss and accuracy on the scored training examples,
 * and the mean seconds per run. Diverged runs are left out of every number: a group whose runs all diverged
 * has nulls there (a table shows them blank), not numbers. A deviation needs two runs: with one
 * it is null.
 *
 * Columns: the `by` columns, runs, ok, diverged, evalLossMean, evalLossStd, evalAccuracyMean,
 * evalAccuracyStd, trainLossMean, trainLossStd, trainEvalLossMean, trainEvalLossStd,
 * trainEvalAccuracyMean, trainEvalAccuracyStd, secondsMean; one row per group, sorted.
 *
 * @param result A grid's result (only its runs frame is read; frames of several grids can be
 * concatenated first).
 * @param options The grouping.
 * @returns The summary frame.
 *
 * @example One learning rate diverged in every run
 * ```ts
 * import { runGrid, summarizeGrid } from "../../mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const grid = await runGrid({
 *   lrs: [0.1, 1000], seeds: [0, 1], epochs: 1, batchSize: 2, hidden: [8], trainLimit: 200,
 *   evalLimit: 50, workers: 1, progress: "none",
 * });
 * const summary = summarizeGrid(grid).toRecords();
 * assertEquals(summary.map((row) => [row.lr, row.ok, row.diverged]), [[0.1, 2, 0], [1000, 0, 2]]);
 * assertEquals(summary[1].evalLossMean, null);
 * ```
 */
export function summarizeGrid(
  result: Pick<GridResult, "runs">,
  options: SummarizeGridOptions = {},
): DataFrame {
  const pl = polars();
  const { runs } = result;
  const by = resolveBy(runs, options.by);
  const groups = groupRuns(runs, by);
  const index = new Map((runs.getColumn("run").toArray() as number[]).map((id, i) => [id, i]));
  const stats = (name: string) => {
    const column = runs.getColumn(name).toArray() as (number | null)[];
    return groups.map((group) =>
      meanStdOrNull(
        group.ok.map((id) => column[index.get(id)!]).filter((v): v is number => v !== null),
      )
    );
  };
  const series = (name: string, values: (number | null)[]) => pl.Series(name, values, pl.Float64);
  const count = (name: string, values: number[]) => pl.Series(name, values, pl.Int32);
  return pl.DataFrame([
    ...byColumns(runs, by, groups, groups.map((_, g) => g)),
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
