/**
 * A learning-rate grid that brackets its best rate.
 *
 * @module
 */

import type { GridResult } from "../results/grid_result.ts";
import { joinGrids } from "../results/merge_grid_results.ts";
import { OptionError } from "../../options/option_rules.ts";
import { runGrid, type RunGridOptions } from "./run_grid.ts";
import { bestRow, summarizeGrids } from "../summary/summarize_grid.ts";

/** Rates about three times apart, the ladder {@linkcode bracketedGrid} climbs. */
export const RATE_LADDER = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30];

/**
 * Runs a grid, then, while its best rate (by mean validation accuracy, see {@linkcode bestRow})
 * is its smallest or its largest, the next rate of the ladder beyond it, joined to the grid; so
 * the best rate ends with a worse (or diverged) rate on either side, unless the ladder ends.
 *
 * @param options The grid's options; its `lrs` must be rates of the ladder.
 * @param ladder The rates to extend the grid with, ascending. @default {RATE_LADDER}
 * @returns The grid, extended.
 *
 * @example A grid whose best rate was at its edge gets the next rate
 * ```ts
 * import { bracketedGrid } from "./bracketed_grid.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const grid = await bracketedGrid({
 *   lrs: [0.01, 0.03], seeds: [0], epochs: 1, hidden: [8], trainLimit: 200, evalLimit: 50,
 *   workers: 1, progress: "none",
 * });
 * assertEquals(grid.config.lrs.length > 2, true);
 * ```
 */
export async function bracketedGrid(
  options: RunGridOptions,
  ladder: readonly number[] = RATE_LADDER,
): Promise<GridResult> {
  const outside = options.lrs.filter((lr) => !ladder.includes(lr));
  if (outside.length > 0) {
    const expected = `rates of the ladder (${ladder.join(", ")})`;
    throw new OptionError("lrs", expected, outside.join(", "));
  }
  let grid = await runGrid(options);
  for (;;) {
    const rates = [...grid.config.lrs].sort((a, b) => a - b);
    const best = bestRow(summarizeGrids([grid], { by: ["lr"] })).lr;
    const step = best === rates[0] ? -1 : best === rates.at(-1) ? 1 : 0;
    const next = ladder[ladder.indexOf(best) + step];
    if (step === 0 || next === undefined) return grid;
    grid = joinGrids(grid, await runGrid({ ...options, lrs: [next] }));
  }
}
