/**
 * Two grids of the same configuration as one: more learning rates (or seeds) run later, added to
 * a grid that has run.
 *
 * @module
 */

import { SHARED_RUN_FIELDS } from "../../nn/train_mlp.ts";
import { GridResult } from "./grid_result.ts";

/** The configuration fields two grids must share to be joined. */
const SHARED = [
  ...SHARED_RUN_FIELDS,
  "backend",
  "split",
  "dataDir",
  "trainSize",
  "evalSize",
] as const;

/**
 * Joins two grids of the same configuration into one: the first's runs, then the second's,
 * renumbered after them; the learning rates and seeds of both (each once, in order of first
 * appearance); the seconds added. Throws a RangeError naming the first configuration field in
 * which they differ.
 *
 * @param first A grid.
 * @param second A grid of the same configuration (other learning rates or seeds).
 * @returns The joined grid.
 *
 * @example A rate run later, joined to the grid
 * ```ts
 * import { joinGrids, runGrid } from "../../mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const options = { seeds: [0], epochs: 1, hidden: [8], trainLimit: 200, evalLimit: 50, workers: 1, progress: "none" } as const;
 * const grid = joinGrids(await runGrid({ ...options, lrs: [0.1, 0.3] }), await runGrid({ ...options, lrs: [1] }));
 * assertEquals(grid.config.lrs, [0.1, 0.3, 1]);
 * assertEquals(grid.runs.getColumn("run").toArray(), [0, 1, 2]);
 * ```
 */
export function joinGrids(first: GridResult, second: GridResult): GridResult {
  for (const field of SHARED) {
    if (JSON.stringify(first.config[field]) !== JSON.stringify(second.config[field])) {
      throw new RangeError(
        `Cannot join grids of different configurations: expected ${field} ` +
          `${first.config[field]} in the second grid but found ${second.config[field]}`,
      );
    }
  }
  const unique = (values: number[]) => [...new Set(values)];
  return new GridResult(
    {
      ...first.config,
      lrs: unique([...first.config.lrs, ...second.config.lrs]),
      seeds: unique([...first.config.seeds, ...second.config.seeds]),
      workers: Math.max(first.config.workers, second.config.workers),
      seconds: first.config.seconds + second.config.seconds,
      runsReused: first.config.runsReused + second.config.runsReused,
      runsTrained: first.config.runsTrained + second.config.runsTrained,
      runsAudited: first.config.runsAudited + second.config.runsAudited,
    },
    [
      ...first.records,
      ...second.records.map((record) => ({ ...record, run: first.records.length + record.run })),
    ],
  );
}
