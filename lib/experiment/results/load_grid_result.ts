/**
 * Loading a grid's result saved by {@linkcode saveGridResult}.
 *
 * @module
 */

import type { DataFrame } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import { resolve } from "node:path";
import { checkSeal, fromFileFrame } from "./_file_format.ts";
import type { GridResult } from "./grid_result.ts";

/**
 * Reads a grid's result saved by {@linkcode saveGridResult}: the configuration and the same
 * runs, epochs and batches frames. Throws an Error naming the file when it is missing, not
 * parquet, or not a saved grid (saying which columns were expected and found).
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
    throw new Error(
      `Cannot read the grid result ${absolute}: ${error instanceof Error ? error.message : error}`,
      { cause: error },
    );
  }
  checkSeal(bytes, absolute); // before polars reads a byte
  const pl = polars(); // its own message when FFI is not permitted
  let table: DataFrame;
  try {
    table = pl.readParquet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Error(
      `Invalid grid result ${absolute}: expected a parquet file but found ${bytes.length} bytes ` +
        `that polars cannot read (${error instanceof Error ? error.message : error})`,
      { cause: error },
    );
  }
  return fromFileFrame(table, absolute);
}
