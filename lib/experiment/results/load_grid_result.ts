/**
 * Reading results files back: a grid's result, or every run a folder's files keep into the run
 * store (a fresh clone's report then reuses each committed run whose key it computes too).
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { join, resolve } from "node:path";
import { errorMessage, type RunStore } from "../../store/run_store.ts";
import { checkSeal, fromFileFrame, isSealed } from "./_file_format.ts";
import type { GridResult } from "./grid_result.ts";
import { resultsPath } from "./results_path.ts";

/**
 * Reads a grid's result saved by {@linkcode saveGridResult}, the same frames back. Throws an
 * Error naming the file when it is missing, damaged, not parquet or not a saved grid.
 *
 * @param path The parquet file.
 * @returns The grid's result.
 *
 * @example A missing file
 * ```ts
 * import { loadGridResult } from "./load_grid_result.ts";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => loadGridResult("no/such/grid.parquet"), Error, "Cannot read the grid result");
 * ```
 */
export function loadGridResult(path: string): GridResult {
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(absolute);
  } catch (error) {
    const reason = errorMessage(error);
    throw new Error(`Cannot read the grid result ${absolute}: ${reason}`, { cause: error });
  }
  checkSeal(bytes, absolute); // before polars reads a byte
  const pl = polars(); // its own message when FFI is not permitted
  let table: DataFrame;
  try {
    table = pl.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Error(
      `Invalid grid result ${absolute}: expected a parquet file but found ${bytes.length} bytes ` +
        `that polars cannot read (${errorMessage(error)})`,
      { cause: error },
    );
  }
  return fromFileFrame(table, absolute);
}

/** What {@linkcode seedRunStore} did. */
export interface SeedCount {
  /** Results files read. */
  files: number;
  /** Runs put into the store. */
  added: number;
  /** Runs the store held already. */
  present: number;
  /** Runs without a key (saved before the run store, or with it off). */
  unkeyed: number;
}

/**
 * Puts every keyed run of the results files in a folder into the store, unless it holds the key
 * already. Parquet files that are not sealed grid results are passed over; a damaged results
 * file fails as loadGridResult fails, naming it.
 *
 * @param store The run store.
 * @param dir The folder of results files. @default {data/results/}
 * @returns How many files and runs.
 */
export function seedRunStore(
  store: RunStore,
  dir: string = join(resultsPath("x"), ".."),
): SeedCount {
  const count: SeedCount = { files: 0, added: 0, present: 0, unkeyed: 0 };
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".parquet"));
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (!isSealed(Deno.readFileSync(path))) continue; // not a grid result (the peers' tables)
    count.files++;
    for (const { run: _, key, ...run } of loadGridResult(path).records) {
      if (key === undefined) count.unkeyed++;
      else if (store.has(key.key)) count.present++;
      else {
        store.put({ ...key, run });
        count.added++;
      }
    }
  }
  return count;
}
