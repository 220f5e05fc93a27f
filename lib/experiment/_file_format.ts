/**
 * The file format of a saved grid: one parquet table, one row per run. Its columns are the runs
 * frame's, then `grid` (the grid's configuration as JSON, the same in every row), then list
 * columns holding each run's epochs and batch losses. Reading it back rebuilds the records, hence
 * the same frames.
 *
 * @module
 */

import pl from "nodejs-polars";
import { type EpochRecord, SHARED_RUN_FIELDS } from "../nn/train_mlp.ts";
import { EPOCH_METRICS, type GridConfig, GridResult } from "./grid_result.ts";
import type { RunRecord } from "./run_record.ts";

/** Written into the grid JSON, checked on reading. */
export const FORMAT = "backprop-grid-result/3";

/** Each epoch field's list column: trainLoss in epochTrainLoss, and so on. */
const EPOCH_LISTS = Object.fromEntries(
  [...EPOCH_METRICS, "trainSeconds" as const].map((
    key,
  ) => [`epoch${key[0].toUpperCase()}${key.slice(1)}`, key]),
);

/** The columns a saved grid must have besides the runs frame's. */
const EXTRA_COLUMNS = ["grid", ...Object.keys(EPOCH_LISTS), "batchLoss"];

/** The one-row-per-run table saved for a grid. */
export function toFileFrame(result: GridResult): pl.DataFrame {
  const { records } = result;
  const grid = JSON.stringify({
    format: FORMAT,
    ...result.config,
  });
  const lists = Object.entries(EPOCH_LISTS).map(([column, key]) =>
    pl.Series(column, records.map((r) => r.epochs.map((e) => e[key])), pl.List(pl.Float64))
  );
  return pl.DataFrame([
    ...result.runs.getColumns(),
    pl.Series("grid", records.map(() => grid), pl.String),
    ...lists,
    pl.Series("batchLoss", records.map((r) => r.batchLosses), pl.List(pl.Float32)),
  ]);
}

/** The grid saved in a one-row-per-run table; `path` names the file in errors. */
export function fromFileFrame(table: pl.DataFrame, path: string): GridResult {
  // an empty grid's runs frame: its columns need no configuration
  const runColumns = new GridResult({} as GridConfig, []).runs.columns;
  const missing = [...runColumns, ...EXTRA_COLUMNS].filter((c) => !table.columns.includes(c));
  if (missing.length > 0 || table.height === 0) {
    throw new Error(
      `Invalid grid result ${path}: expected a table written by saveGridResult, with the ` +
        `columns ${[...runColumns, ...EXTRA_COLUMNS].join(", ")} and a row per run, but found ` +
        `${table.height} rows and the columns ${table.columns.join(", ")}`,
    );
  }
  const rows = table.toRecords() as Record<string, unknown>[];
  const config = parseGrid(String(rows[0].grid), path);
  const records = rows.map((row): RunRecord => {
    const lists = Object.fromEntries(
      Object.keys(EPOCH_LISTS).map((column) => [column, row[column] as number[]]),
    );
    const epochs = lists.epochTrainLoss.map((_, i) =>
      Object.fromEntries([
        ["epoch", i + 1],
        ...Object.entries(EPOCH_LISTS).map(([column, key]) => [key, lists[column][i]]),
      ]) as unknown as EpochRecord
    );
    const num = (column: string) => row[column] as number;
    return {
      run: num("run"),
      config: {
        ...Object.fromEntries(SHARED_RUN_FIELDS.map((field) => [field, row[field]])),
        hidden: String(row.hidden).split(",").map(Number),
        lr: num("lr"),
        seed: num("seed"),
        evaluateEachEpoch: true,
        backend: String(row.backend),
      } as unknown as RunRecord["config"],
      numBatches: num("numBatches"),
      batchLosses: Float32Array.from(row.batchLoss as number[]),
      epochs,
      diverged: row.status === "diverged"
        ? {
          reason: row.divergedReason as NonNullable<RunRecord["diverged"]>["reason"],
          step: num("divergedStep"),
          epoch: num("divergedEpoch"),
          loss: num("divergedLoss"),
        }
        : null,
      seconds: num("seconds"),
    };
  });
  return new GridResult(config, records);
}

function parseGrid(text: string, path: string): GridConfig {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Invalid grid result ${path}: expected the grid column to hold JSON but found ` +
        `${JSON.stringify(text.slice(0, 40))} (${error instanceof Error ? error.message : error})`,
    );
  }
  if (parsed.format !== FORMAT) {
    throw new Error(
      `Invalid grid result ${path}: expected the format ${FORMAT} but found ${parsed.format}`,
    );
  }
  const { format: _, ...config } = parsed;
  return config as unknown as GridConfig;
}
