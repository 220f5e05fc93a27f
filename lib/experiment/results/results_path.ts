/**
 * Where the project keeps the results of runs: `data/results/` at the project's root.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/**
 * The path of a result file in the project's `data/results/` directory (resolved from this
 * module's location, so it does not depend on the working directory): `name` plus `.parquet`
 * unless it already ends so.
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
