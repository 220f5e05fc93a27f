/**
 * Seeding the run store from results files: the runs a results file keeps carry their keys, so
 * a fresh clone's store starts with the committed runs, and a report on it reuses every run whose
 * key this machine computes too (the same code, data, backend and runtime).
 *
 * @module
 */

import { join } from "node:path";
import type { RunStore } from "../../store/run_store.ts";
import { isSealed } from "./_file_format.ts";
import { loadGridResult } from "./load_grid_result.ts";
import { resultsPath } from "./results_path.ts";

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
 * Puts every keyed run of the results files in a folder into the store, unless the store holds
 * its key already. Parquet files that are not sealed grid results (the peers' tables) are passed over;
 * a damaged results file fails as loadGridResult fails, naming it.
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
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".parquet"))
    .sort();
  for (const name of names) {
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
