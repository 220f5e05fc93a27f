/**
 * Where the project keeps the results of runs, `data/results/`, and where a chapter saves its
 * grids: the committed results are the report command's alone.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { envVar } from "../../options/option_rules.ts";
import type { GridResult } from "./grid_result.ts";
import { saveGridResult } from "./results_file.ts";

/**
 * The path of a result file in the project's `data/results/`, whatever the working directory:
 * `name` plus `.parquet` unless it already ends so.
 *
 * @param name The result's name, e.g. "lr-sweep"; letters, digits, ".", "_" and "-" only.
 * @returns The absolute path, e.g. `/…/data/results/lr-sweep.parquet`.
 *
 * @example
 * ```ts
 * import { resultsPath } from "./results_path.ts";
 * import { assert } from "@std/assert";
 *
 * assert(resultsPath("lr-sweep").endsWith("/data/results/lr-sweep.parquet"));
 * ```
 */
export function resultsPath(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) {
    throw new RangeError(
      `Expected the result name to hold only letters, digits, ".", "_" and "-" (not first) but found "${name}"`,
    );
  }
  const file = name.endsWith(".parquet") ? name : `${name}.parquet`;
  return fileURLToPath(new URL(`../../../data/results/${file}`, import.meta.url));
}

/**
 * Saves a chapter's grid where its run decides: a full run of the report command
 * (BACKPROP_REPORT=1) writes `data/results/<name>.parquet`, the committed results; a quick run
 * (BACKPROP_QUICK=1, the tests) writes under `build/quick-results/`; a reader's run in Jupyter or
 * VS Code writes nothing (its runs are in the run store), so no edit changes a committed file.
 *
 * @param grid The grid.
 * @param name The result's name, e.g. "q7-plain-sgd-validation".
 * @returns The path written, or null.
 */
export function saveChapterResult(grid: GridResult, name: string): string | null {
  if (envVar("BACKPROP_QUICK") === "1") {
    const dir = fileURLToPath(new URL("../../../build/quick-results/", import.meta.url));
    return saveGridResult(grid, `${dir}${resultsPath(name).split("/").at(-1)}`);
  }
  return envVar("BACKPROP_REPORT") === "1" ? saveGridResult(grid, resultsPath(name)) : null;
}
