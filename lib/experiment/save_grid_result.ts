/**
 * Saving a grid's result as one parquet file, atomically.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { toFileFrame } from "./_file_format.ts";
import type { GridResult } from "./grid_result.ts";

/**
 * Saves a grid's result as one parquet file: one row per run with every column of
 * `result.runs`, the grid's configuration as JSON in a `grid` column, and each run's epochs and
 * batch losses as list columns (`epochTrainLoss` … `epochTrainSeconds`, `batchLoss`).
 * {@linkcode loadGridResult} reads it back into the same frames.
 *
 * The file is written under a temporary name in the same directory, flushed to disk, then
 * renamed over `path`: an interrupted save leaves the previous file (or none), never a partial
 * one. Missing parent directories are created.
 *
 * @param result The grid's result.
 * @param path The file to write, e.g. `resultsPath("lr-sweep")`.
 * @returns The absolute path written.
 *
 * @example Save and load back
 * ```ts
 * import { loadGridResult, runGrid, saveGridResult } from "../mod.ts";
 * import { assert } from "@std/assert";
 *
 * const grid = await runGrid({
 *   lrs: [0.1], epochs: 1, hidden: [8], trainLimit: 200, evalLimit: 50, workers: 1,
 *   progress: "none",
 * });
 * const dir = Deno.makeTempDirSync();
 * const path = saveGridResult(grid, `${dir}/grid.parquet`);
 * assert(loadGridResult(path).batches.frameEqual(grid.batches));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function saveGridResult(result: GridResult, path: string): string {
  const target = resolve(path);
  const dir = dirname(target);
  Deno.mkdirSync(dir, { recursive: true });
  const bytes = toFileFrame(result).writeParquet({ compression: "zstd" });
  const temporary = join(dir, `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    using file = Deno.openSync(temporary, { write: true, createNew: true });
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    file.syncSync();
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  try {
    Deno.renameSync(temporary, target);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
  return target;
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // nothing to remove
  }
}
