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
const CONFIG_COLUMNS = ["lr", ...SHARED_RUN_FIELDS, "backend", "split", "trainSize", "evalSize"];

/** Runs sharing the `by` columns' values: all of them, those that finished, how many diverged. */
export interface RunGroup {
  values: unknown[];
  runs: number[];
  ok: number[];
  diverged: number;
}

/**
 * The runs grouped by the `by` columns (checked; by default lr and every other configuration
 * column that varies), in order of their values, numbers ascending.
 */
export function groupRuns(
  runs: DataFrame,
  by: readonly string[] | undefined,
): { by: string[]; groups: RunGroup[] } {
  const has = (column: string) => runs.columns.includes(column);
  const unknown = by?.filter((column) => !has(column)) ?? [];
  if (unknown.length > 0) {
    throw new RangeError(
      `Expected by to name columns of the runs frame (${runs.columns.join(", ")}) but found ` +
        unknown.join(", "),
    );
  }
  for (const column of ["run", "status"]) {
    if (!has(column)) {
      const found = `the columns ${runs.columns.join(", ")}`;
      throw new RangeError(`Expected a runs frame with a ${column} column but found ${found}`);
    }
  }
  const columns = by !== undefined
    ? [...by]
    : CONFIG_COLUMNS.filter((column) =>
      has(column) && (column === "lr" || new Set(runs.getColumn(column).toArray()).size > 1)
    );
  const ids = runs.getColumn("run").toArray() as number[];
  const status = runs.getColumn("status").toArray() as string[];
  const values = columns.map((column) => runs.getColumn(column).toArray() as unknown[]);
  const groups = new Map<string, RunGroup>();
  ids.forEach((id, i) => {
    const key = JSON.stringify(values.map((column) => String(column[i])));
    let group = groups.get(key);
    if (group === undefined) {
      group = { values: values.map((column) => column[i]), runs: [], ok: [], diverged: 0 };
      groups.set(key, group);
    }
    group.runs.push(id);
    if (status[i] === "ok") group.ok.push(id);
    else group.diverged++;
  });
  const sorted = [...groups.values()].sort((a, b) => compareValues(a.values, b.values));
  return { by: columns, groups: sorted };
}

/** Orders groups by their first differing value: numbers ascending, others as text. */
function compareValues(a: unknown[], b: unknown[]): number {
  const i = a.findIndex((x, k) => x !== b[k]);
  const [x, y] = [a[i], b[i]];
  if (i < 0) return 0;
  return typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1;
}

/** The `by` columns of a summary, from each row's group's values, typed as in the runs frame. */
export function byColumns(runs: DataFrame, by: readonly string[], rows: unknown[][]): Series[] {
  const pl = polars();
  return by.map((column, c) =>
    pl.Series(column, rows.map((values) => values[c])).cast(runs.getColumn(column).dtype)
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
