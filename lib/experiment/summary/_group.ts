/**
 * Grouping runs for the summaries: by the learning rate and whatever else varies.
 *
 * @module
 */

import type { DataFrame, Series } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { SHARED_RUN_FIELDS } from "../../nn/train_mlp.ts";
import { meanStd } from "../../stats/mean_std.ts";

/** The runs frame's configuration columns a grid (or several grids' runs together) can vary. */
export const CONFIG_COLUMNS: readonly string[] = [
  "lr",
  ...SHARED_RUN_FIELDS,
  "backend",
  "split",
  "trainSize",
  "evalSize",
];

/** A group of runs sharing the values of the `by` columns. */
export interface RunGroup {
  /** The `by` columns' values. */
  values: unknown[];
  /** Every run of the group. */
  runs: number[];
  /** The runs that finished ("ok"). */
  ok: number[];
  /** How many diverged. */
  diverged: number;
}

/** The columns to group by: the given ones (checked), else lr and every other one that varies. */
export function resolveBy(runs: DataFrame, by: readonly string[] | undefined): string[] {
  if (by !== undefined) {
    const unknown = by.filter((column) => !runs.columns.includes(column));
    if (unknown.length > 0) {
      throw new RangeError(
        `Expected by to name columns of the runs frame (${runs.columns.join(", ")}) but found ` +
          unknown.join(", "),
      );
    }
    return [...by];
  }
  return CONFIG_COLUMNS.filter((column) =>
    runs.columns.includes(column) &&
    (column === "lr" || new Set(runs.getColumn(column).toArray()).size > 1)
  );
}

/** The runs grouped by the `by` columns, in order of the values (numbers ascending). */
export function groupRuns(runs: DataFrame, by: readonly string[]): RunGroup[] {
  for (const column of ["run", "status"]) {
    if (!runs.columns.includes(column)) {
      throw new RangeError(
        `Expected a runs frame with a ${column} column but found the columns ${
          runs.columns.join(", ")
        }`,
      );
    }
  }
  const ids = runs.getColumn("run").toArray() as number[];
  const status = runs.getColumn("status").toArray() as string[];
  const columns = by.map((column) => runs.getColumn(column).toArray() as unknown[]);
  const groups = new Map<string, RunGroup>();
  ids.forEach((id, i) => {
    const values = columns.map((column) => column[i]);
    const key = JSON.stringify(values.map(String));
    let group = groups.get(key);
    if (group === undefined) {
      group = { values, runs: [], ok: [], diverged: 0 };
      groups.set(key, group);
    }
    group.runs.push(id);
    if (status[i] === "ok") group.ok.push(id);
    else group.diverged++;
  });
  return [...groups.values()].sort((a, b) => compareValues(a.values, b.values));
}

function compareValues(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** The `by` columns of a summary: for each row, the values of its group (an index into groups). */
export function byColumns(
  runs: DataFrame,
  by: readonly string[],
  groups: readonly RunGroup[],
  rowGroups: readonly number[],
): Series[] {
  const pl = polars();
  return by.map((column, c) =>
    pl.Series(column, rowGroups.map((g) => groups[g].values[c])).cast(runs.getColumn(column).dtype)
  );
}

/**
 * A band's columns from each point's values (at least one): mean, std, lo = mean − std,
 * hi = mean + std (std null, one value: lo = hi = mean), n.
 */
export function bandColumns(samples: readonly (readonly number[])[]): Series[] {
  const pl = polars();
  const stats = samples.map((xs) => meanStd(xs));
  return [
    pl.Series("mean", stats.map((s) => s.mean), pl.Float64),
    pl.Series("std", stats.map((s) => s.std), pl.Float64),
    pl.Series("lo", stats.map((s) => s.mean - (s.std ?? 0)), pl.Float64),
    pl.Series("hi", stats.map((s) => s.mean + (s.std ?? 0)), pl.Float64),
    pl.Series("n", samples.map((xs) => xs.length), pl.Int32),
  ];
}

/** {@linkcode meanStd}, with nulls for no values (a group whose runs all diverged). */
export function meanStdOrNull(
  values: readonly number[],
): { mean: number | null; std: number | null } {
  return values.length === 0 ? { mean: null, std: null } : meanStd(values);
}
