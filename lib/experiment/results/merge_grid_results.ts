/**
 * Grid results combined: a grid's shards (`--shard i/n`) merged into the whole grid, and grids of
 * one configuration joined (rates or seeds run later added to a grid).
 *
 * @module
 */

import { SHARED_RUN_FIELDS } from "../../nn/train_mlp.ts";
import { GridResult, PLAN_FIELDS, planDifferences } from "./grid_result.ts";
import type { RunRecord } from "./run_record.ts";

/** The fields of a grid's configuration that add up when grids are merged or joined. */
const SUMMED = ["seconds", "runsReused", "runsTrained", "runsAudited"] as const;

/**
 * The whole grid from its parts: every run once, the parts' plans (learning rates, seeds, split,
 * shared fields) and data sizes equal. An Error names the files and what is wrong: a part of
 * another grid, a run in two parts, or the runs no part holds.
 *
 * @param parts Each part's results and the file it came from (for the messages).
 * @returns One grid result with all the runs; its seconds are the parts' sum.
 *
 * @example Two halves of a grid make the whole
 * ```ts
 * import { mergeGridResults } from "./merge_grid_results.ts";
 * import { GridResult } from "./grid_result.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const whole = mixedResult();
 * const half = (i: number) => new GridResult(whole.config, whole.records.filter((r) => r.run % 2 === i));
 * const merged = mergeGridResults([{ path: "a", result: half(0) }, { path: "b", result: half(1) }]);
 * assertEquals(merged.records.length, whole.records.length);
 * ```
 */
export function mergeGridResults(
  parts: readonly { path: string; result: GridResult }[],
): GridResult {
  if (parts.length === 0) throw new RangeError("Expected at least one results file but found none");
  const [first] = parts;
  const owner = new Map<number, string>();
  const records: RunRecord[] = [];
  for (const { path, result } of parts) {
    const differ = planDifferences(result.config, first.result.config, {
      fields: [...PLAN_FIELDS, "trainSize", "evalSize"],
      names: [`in ${path}`, `in ${first.path}`],
    });
    if (differ.length > 0) {
      throw new Error(
        `Cannot merge ${path} with ${first.path}: they hold different grids, differing in ` +
          differ.join(", "),
      );
    }
    for (const record of result.records) {
      const other = owner.get(record.run);
      if (other !== undefined) {
        throw new Error(
          `Cannot merge ${path} with ${other}: both hold run ${record.run} ` +
            `(lr ${record.config.lr}, seed ${record.config.seed})`,
        );
      }
      owner.set(record.run, path);
      records.push(record);
    }
  }
  const { lrs, seeds } = first.result.config;
  const missing = lrs.flatMap((lr, i) =>
    seeds.map((seed, j) => ({ run: i * seeds.length + j, lr, seed }))
  ).filter(({ run }) => !owner.has(run));
  if (missing.length > 0) {
    throw new Error(
      `Cannot merge ${parts.map((p) => p.path).join(", ")}: no file holds the runs ` +
        missing.map(({ run, lr, seed }) => `${run} (lr ${lr}, seed ${seed})`).join(", "),
    );
  }
  const config = { ...first.result.config };
  for (const field of SUMMED) {
    config[field] = parts.reduce((total, { result }) => total + result.config[field], 0);
  }
  return new GridResult(config, records);
}

/**
 * Joins two grids of one configuration: the first's runs, then the second's renumbered after
 * them; the rates and seeds of both, each once; the seconds and run counts added. Throws a
 * RangeError naming each configuration field in which they differ.
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
  const data = ["backend", "split", "dataDir", "trainSize", "evalSize"] as const;
  const differ = planDifferences(second.config, first.config, {
    fields: [...SHARED_RUN_FIELDS, ...data],
    names: ["in the second", "in the first"],
  });
  if (differ.length > 0) {
    throw new RangeError(`Cannot join grids of different configurations: ${differ.join(", ")}`);
  }
  const unique = (values: number[]) => [...new Set(values)];
  const config = {
    ...first.config,
    lrs: unique([...first.config.lrs, ...second.config.lrs]),
    seeds: unique([...first.config.seeds, ...second.config.seeds]),
    workers: Math.max(first.config.workers, second.config.workers),
  };
  for (const field of SUMMED) config[field] += second.config[field];
  const renumbered = second.records.map((r) => ({ ...r, run: first.records.length + r.run }));
  return new GridResult(config, [...first.records, ...renumbered]);
}
