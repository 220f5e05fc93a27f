/**
 * Where a chapter's grids are saved: the committed results are the report command's alone.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { GridResult } from "./grid_result.ts";
import { resultsPath } from "./results_path.ts";
import { saveGridResult } from "./save_grid_result.ts";
import { envVar } from "../../options/option_rules.ts";

/** Set to 1 by the report command (scripts/report.sh): chapters then save into data/results/. */
export const REPORT_ENV_VAR = "BACKPROP_REPORT";

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
  return envVar(REPORT_ENV_VAR) === "1" ? saveGridResult(grid, resultsPath(name)) : null;
}
