/**
 * The file format of a saved grid: one parquet table, a row per run, with the runs frame's
 * columns, `grid` (the configuration as JSON), list columns of each run's epochs and batch
 * losses, and `runKey`. The bytes are sealed: a SHA-256 sits just before the parquet footer,
 * where readers never look, and is checked before polars reads a byte, so a damaged file is
 * refused, naming it, instead of loading changed values or crashing the reader.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { type EpochRecord, SHARED_RUN_FIELDS } from "../../nn/train_mlp.ts";
import { RUN_OPTIONS } from "../../nn/run_options.ts";
import { errorMessage } from "../../store/run_store.ts";
import { EPOCH_METRICS, type GridConfig, GridResult } from "./grid_result.ts";
import type { RunDivergence, RunRecord } from "./run_record.ts";

/** The format's name and version, written into the grid JSON and checked on reading. */
const FORMAT = "backprop-grid-result/4";

/** Each epoch field's list column: trainLoss in epochTrainLoss, and so on. */
const EPOCH_LISTS = Object.fromEntries(
  [...EPOCH_METRICS, "trainSeconds" as const]
    .map((key) => [`epoch${key[0].toUpperCase()}${key.slice(1)}`, key]),
);

/** The columns a saved grid must have besides the runs frame's. */
const EXTRA_COLUMNS = ["grid", ...Object.keys(EPOCH_LISTS), "batchLoss"];

/** The one-row-per-run table saved for a grid. */
export function toFileFrame(result: GridResult): DataFrame {
  const pl = polars();
  const { records } = result;
  const grid = JSON.stringify({ format: FORMAT, ...result.config });
  const lists = Object.entries(EPOCH_LISTS).map(([column, key]) =>
    pl.Series(column, records.map((r) => r.epochs.map((e) => e[key])), pl.List(pl.Float64))
  );
  const keys = records.map((r) => r.key === undefined ? null : JSON.stringify(r.key));
  return pl.DataFrame([
    ...result.runs.getColumns(),
    pl.Series("grid", records.map(() => grid), pl.String),
    ...lists,
    pl.Series("batchLoss", records.map((r) => r.batchLosses), pl.List(pl.Float32)),
    pl.Series("runKey", keys, pl.String),
  ]);
}

/** What starts the seal block; the SHA-256 in hex follows. */
const SEAL_MAGIC = "backprop-sha256:";
const SEAL_LENGTH = SEAL_MAGIC.length + 64;

/** Where parquet bytes' footer starts: before its length (4 bytes) and "PAR1" at the end. */
function footerStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return bytes.length - 8 - view.getUint32(bytes.length - 8, true);
}

/** Where the seal block starts in sealed bytes (just before the footer), or -1. */
function sealStart(bytes: Uint8Array): number {
  if (bytes.length < 12 + SEAL_LENGTH) return -1;
  const start = footerStart(bytes) - SEAL_LENGTH;
  if (start < 4) return -1;
  const magic = new TextDecoder().decode(bytes.subarray(start, start + SEAL_MAGIC.length));
  return magic === SEAL_MAGIC ? start : -1;
}

/** Parquet bytes with the seal block inserted before their footer. */
export function seal(parquet: Uint8Array): Uint8Array {
  const at = footerStart(parquet);
  const hash = createHash("sha256").update(parquet).digest("hex");
  const out = new Uint8Array(parquet.length + SEAL_LENGTH);
  out.set(parquet.subarray(0, at));
  out.set(new TextEncoder().encode(SEAL_MAGIC + hash), at);
  out.set(parquet.subarray(at), at + SEAL_LENGTH);
  return out;
}

/** Whether bytes carry a seal, intact or not: a results file of this project. */
export function isSealed(bytes: Uint8Array): boolean {
  return sealStart(bytes) >= 0;
}

/** Checks the seal of a file's bytes; an Error names the file when it is missing or broken. */
export function checkSeal(bytes: Uint8Array, path: string): void {
  const start = sealStart(bytes);
  if (start < 0) {
    throw new Error(
      `Invalid grid result ${path}: expected a results file sealed by saveGridResult (a SHA-256 ` +
        `before its parquet footer) but found ${bytes.length} bytes without one`,
    );
  }
  const end = start + SEAL_LENGTH;
  const stored = new TextDecoder().decode(bytes.subarray(start + SEAL_MAGIC.length, end));
  const sha = createHash("sha256").update(bytes.subarray(0, start)).update(bytes.subarray(end));
  const hash = sha.digest("hex");
  if (hash !== stored) {
    throw new Error(
      `Invalid grid result ${path}: its bytes do not match its SHA-256 (stored ${stored}, ` +
        `computed ${hash}), so the file is damaged or was edited`,
    );
  }
}

/** The grid saved in a one-row-per-run table; `path` names the file in errors. */
export function fromFileFrame(table: DataFrame, path: string): GridResult {
  const hasGrid = table.columns.includes("grid") && table.height > 0;
  const config = hasGrid ? parseGrid(String(table.getColumn("grid").get(0)), path) : undefined;
  // an empty grid's runs frame: its columns need no configuration
  const runColumns = new GridResult({} as GridConfig, []).runs.columns;
  const expected = [...runColumns, ...EXTRA_COLUMNS];
  if (expected.some((c) => !table.columns.includes(c)) || table.height === 0) {
    throw new Error(
      `Invalid grid result ${path}: expected a table written by saveGridResult, with the ` +
        `columns ${expected.join(", ")} and a row per run, but found ` +
        `${table.height} rows and the columns ${table.columns.join(", ")}`,
    );
  }
  const rows = table.toRecords() as Record<string, unknown>[];
  const records = rows.map((row): RunRecord => {
    const epochs = (row.epochTrainLoss as number[]).map((_, i) =>
      Object.fromEntries([
        ["epoch", i + 1],
        ...Object.entries(EPOCH_LISTS).map(([column, key]) => [key, (row[column] as number[])[i]]),
      ]) as unknown as EpochRecord
    );
    const num = (column: string) => row[column] as number;
    return {
      run: num("run"),
      config: {
        ...Object.fromEntries(SHARED_RUN_FIELDS.map((field) => [
          field,
          RUN_OPTIONS[field].column === "sizes"
            ? String(row[field]).split(",").map(Number)
            : row[field],
        ])),
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
          reason: row.divergedReason as RunDivergence["reason"],
          step: num("divergedStep"),
          epoch: num("divergedEpoch"),
          loss: num("divergedLoss"),
        }
        : null,
      seconds: num("seconds"),
      ...typeof row.runKey === "string" ? { key: JSON.parse(row.runKey) } : {},
    };
  });
  return new GridResult(config!, records);
}

function parseGrid(text: string, path: string): GridConfig {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Invalid grid result ${path}: expected the grid column to hold JSON but found ` +
        `${JSON.stringify(text.slice(0, 40))} (${errorMessage(error)})`,
    );
  }
  if (parsed.format !== FORMAT) {
    throw new Error(
      `Invalid grid result ${path}: expected the format ${FORMAT} but found ${parsed.format}`,
    );
  }
  const { format: _, ...config } = parsed;
  // written before the run store: every run was trained
  return { runsReused: 0, runsTrained: 0, runsAudited: 0, ...config } as unknown as GridConfig;
}
