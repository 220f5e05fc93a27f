/**
 * Merging the results files of a grid's shards (run on several machines, `--shard i/n`) into
 * the whole grid, checking that they are parts of one grid and that no run is missing or there
 * twice.
 *
 * @module
 */

import { GridResult, planDifferences } from "./grid_result.ts";
import type { RunRecord } from "./run_record.ts";

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
    const differ = planDifferences(result.config, first.result.config);
    for (const key of ["trainSize", "evalSize"] as const) {
      if (result.config[key] !== first.result.config[key]) {
        differ.push(`${key} (${first.result.config[key]} there, ${result.config[key]} here)`);
      }
    }
    if (differ.length > 0) {
      throw new Error(
        `Cannot merge ${path} with ${first.path}: they hold different grids, differing in ` +
          differ.join(", ").replaceAll("there", `in ${first.path}`).replaceAll(
            "here",
            `in ${path}`,
          ),
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
  const sum = (field: "seconds" | "runsReused" | "runsTrained" | "runsAudited") =>
    parts.reduce((total, { result }) => total + result.config[field], 0);
  return new GridResult({
    ...first.result.config,
    seconds: sum("seconds"),
    runsReused: sum("runsReused"),
    runsTrained: sum("runsTrained"),
    runsAudited: sum("runsAudited"),
  }, records);
}
