/**
 * The file format of a saved grid: one parquet table, one row per run. Its columns are the runs
 * frame's, then `grid` (the grid's configuration as JSON, the same in every row), then list
 * columns holding each run's epochs and batch losses. Reading it back rebuilds the records, hence
 * the same frames.
 *
 * @module
 */

import pl from "nodejs-polars";
import { type EpochRecord, resolveTrainMlpConfig, SHARED_RUN_FIELDS } from "../nn/train_mlp.ts";
import { jsBackend } from "../tensor/backends/js.ts";
import { type GridConfig, GridResult } from "./grid_result.ts";
import type { RunRecord } from "./run_record.ts";

/** Written into the grid JSON, checked on reading. */
export const FORMAT = "backprop-grid-result/3";

const EPOCH_LISTS = {
  epochTrainLoss: "trainLoss",
  epochTrainAccuracy: "trainAccuracy",
  epochTrainEvalLoss: "trainEvalLoss",
  epochTrainEvalAccuracy: "trainEvalAccuracy",
  epochEvalLoss: "evalLoss",
  epochEvalAccuracy: "evalAccuracy",
  epochTrainSeconds: "trainSeconds",
} as const;

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

/** The format before hidden layers, activations and optimizers; still read. */
const FORMAT_2 = "backprop-grid-result/2";

/**
 * A table of format 2 (one hidden layer of numHiddens sigmoid units, SGD, and a grid-level
 * divergence threshold) as the same runs in the current format; other tables as they are.
 */
function upgrade(table: pl.DataFrame): pl.DataFrame {
  if (!table.columns.includes("grid") || table.height === 0) return table;
  let grid: Record<string, unknown>;
  try {
    grid = JSON.parse(String(table.getColumn("grid").get(0)));
  } catch {
    return table; // parseGrid names the problem
  }
  if (grid.format !== FORMAT_2) return table;
  const { divergenceThreshold: _, numHiddens, ...rest } = grid;
  const status = table.getColumn("status").toArray() as string[];
  const lossAtStop = table.getColumn("divergedLoss").toArray() as (number | null)[];
  const reason = status.map((s, i) =>
    s !== "diverged" ? null : Number.isFinite(lossAtStop[i]) ? "exploding loss" : "non-finite loss"
  );
  const json = JSON.stringify({
    ...rest,
    format: FORMAT,
    hidden: [numHiddens],
    activation: "sigmoid",
    optimizer: "sgd",
  });
  return table.withColumns(
    pl.Series(
      "hidden",
      (table.getColumn("numHiddens").toArray() as number[]).map(String),
      pl.String,
    ),
    pl.Series("activation", status.map(() => "sigmoid"), pl.String),
    pl.Series("optimizer", status.map(() => "sgd"), pl.String),
    pl.Series("divergedReason", reason, pl.String),
    pl.Series("grid", status.map(() => json), pl.String),
  ).drop("numHiddens");
}

/** The grid saved in a one-row-per-run table; `path` names the file in errors. */
export function fromFileFrame(saved: pl.DataFrame, path: string): GridResult {
  const table = upgrade(saved);
  const runColumns = emptyRunsColumns();
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
    const epochs = lists.epochTrainLoss.map((_, i): EpochRecord => ({
      epoch: i + 1,
      trainLoss: lists.epochTrainLoss[i],
      trainAccuracy: lists.epochTrainAccuracy[i],
      trainEvalLoss: lists.epochTrainEvalLoss[i],
      trainEvalAccuracy: lists.epochTrainEvalAccuracy[i],
      evalLoss: lists.epochEvalLoss[i],
      evalAccuracy: lists.epochEvalAccuracy[i],
      trainSeconds: lists.epochTrainSeconds[i],
    }));
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

/** The runs frame's column names. */
function emptyRunsColumns(): string[] {
  const { lr: _, seed: __, evaluateEachEpoch: ___, backend: ____, ...shared } =
    resolveTrainMlpConfig({ lr: 1, seed: 0, backend: jsBackend });
  return new GridResult(
    {
      ...shared,
      lrs: [],
      seeds: [],
      backend: "js",
      blasThreads: null,
      workers: 1,
      split: "validation",
      dataDir: null,
      trainSize: 0,
      evalSize: 0,
      startedAt: "",
      seconds: 0,
    },
    [],
  ).runs.columns;
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
