/**
 * Saving a grid's result as one parquet file, atomically, never over a file not of ours.
 *
 * @module
 */

import type { GridResult } from "./grid_result.ts";
import { ResultsFile, type ResultsFileOptions } from "./results_file.ts";

/**
 * Saves a grid's result as one parquet file: one row per run with every column of
 * `result.runs`, the grid's configuration as JSON in a `grid` column, and each run's epochs and
 * batch losses as list columns (`epochTrainLoss` … `epochTrainSeconds`, `batchLoss`).
 * {@linkcode loadGridResult} reads it back into the same frames.
 *
 * The file is written as {@linkcode ResultsFile} writes: under a temporary name in the same
 * folder, flushed to disk, then renamed over `path`, so an interrupted save leaves the previous
 * file (or none), never a partial one; missing parent folders are created; an existing file
 * that is not a results file of this project is refused unless `force`, and so is a file
 * another command is writing.
 *
 * @param result The grid's result.
 * @param path The file to write, e.g. `resultsPath("lr-sweep")`.
 * @param options Whether to replace a file that is not a results file.
 * @returns The absolute path written.
 *
 * @example Save and load back
 * ```ts
 * import { loadGridResult, runGrid, saveGridResult } from "../../mod.ts";
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
export function saveGridResult(
  result: GridResult,
  path: string,
  options: ResultsFileOptions = {},
): string {
  using file = ResultsFile.open(path, options);
  file.write(result);
  return file.path;
}
