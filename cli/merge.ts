/**
 * `deno task merge`: joins the results files of a sweep's shards (`--shard i/n` on several
 * machines) into one results file, checking that they hold one grid with no run missing or there
 * twice. Exit codes: 0, 1 when the files do not make one grid, 2 on a bad option.
 *
 * @module
 */

import { loadGridResult } from "../lib/experiment/results/load_grid_result.ts";
import { mergeGridResults } from "../lib/experiment/results/merge_grid_results.ts";
import { openOut } from "./_options.ts";
import { type OptionSpec, parseArgs, usage, UsageError, userPath } from "./_args.ts";
import { runCommand } from "./_command.ts";

const OPTIONS: readonly OptionSpec[] = [
  { flag: "in", value: "FILES", help: "the shards' results files, comma-separated" },
  { flag: "out", value: "FILE", help: "the merged results file" },
  { flag: "force", help: "replace FILE even if it is not a results file" },
  { flag: "help", help: "print this help and exit" },
];

const USAGE = usage(
  "merge",
  "Merges the results files of a sweep's shards into one; the last line is a JSON object.",
  OPTIONS,
);

/**
 * Runs `merge` with command-line arguments.
 *
 * @param args The arguments, e.g. `["--in", "a.parquet,b.parquet", "--out", "all.parquet"]`.
 * @returns The exit code.
 */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(args, USAGE, () => {
    const raw = parseArgs(args, OPTIONS);
    if (!raw.has("in") || !raw.has("out")) {
      throw new UsageError("Options --in and --out are both needed");
    }
    const paths = (raw.get("in") as string).split(",").map((path) => userPath(path.trim()));
    using file = openOut(userPath(raw.get("out") as string), raw)!;
    const merged = mergeGridResults(paths.map((path) => ({ path, result: loadGridResult(path) })));
    file.write(merged);
    console.log(`saved ${file.path}`);
    console.log(JSON.stringify({ in: paths, out: file.path, runs: merged.records.length }));
    return Promise.resolve();
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
