/**
 * `deno task sweep`: a grid of MNIST training runs, learning rates × seeds, spread over the
 * cores. One line per finished run and a summary per learning rate on stdout, then one JSON line;
 * `--out FILE` saves every run (learning curves included) as one parquet file. Exit codes: 0
 * (diverged runs included), 1 on a failure, 2 on a bad option (before any work).
 *
 * @module
 */

import { runGrid } from "../lib/experiment/run/run_grid.ts";
import { loadGridResult } from "../lib/experiment/results/load_grid_result.ts";
import type { GridResult } from "../lib/experiment/results/grid_result.ts";
import { existsSync } from "node:fs";
import { polars } from "../lib/frame/polars.ts";
import {
  asUsageError,
  checkRuns,
  COMMON_OPTIONS,
  commonGridOptions,
  configFields,
  openOut,
} from "./_options.ts";
import {
  type OptionSpec,
  parseArgs,
  parseNumberList,
  parsePositiveInteger,
  usage,
  UsageError,
} from "./_args.ts";
import { clearProgressLine, exitIfOrphaned, percent, runCommand } from "./_command.ts";

const OPTIONS: readonly OptionSpec[] = [
  { flag: "lr", value: "RATES", help: "learning rates, comma-separated (default 0.03,0.1,0.3)" },
  { flag: "seed", value: "SEEDS", help: "seeds, comma-separated (default 0,1,2)" },
  {
    flag: "workers",
    value: "N",
    help: "runs at once, each in a worker; 1 runs them one after the other (default: one per core)",
  },
  {
    flag: "shard",
    value: "I/N",
    help: "run only the I-th of N slices of the grid (runs numbered I−1 modulo N), e.g. one per " +
      "machine of a job array; `deno task merge` joins the slices' --out files",
  },
  {
    flag: "resume",
    help: "with --out: keep the runs already in FILE (of this same grid) and run only the others",
  },
  ...COMMON_OPTIONS,
];

const USAGE = usage(
  "sweep",
  "Trains the MNIST network once per learning rate and seed, in parallel workers, and prints\n" +
    "each run's final loss and accuracy, then their mean ± standard deviation per learning rate;\n" +
    "the last line is a JSON object.",
  OPTIONS,
);

/**
 * Runs `sweep` with command-line arguments.
 *
 * @param args The arguments, e.g. `["--lr", "0.01,0.1", "--seed", "0,1,2"]`.
 * @returns The exit code.
 *
 * @example --help prints the usage and returns 0 (here with the printing switched off)
 * ```ts
 * import { main } from "./sweep.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const log = console.log;
 * console.log = () => {};
 * try {
 *   assertEquals(await main(["--help"]), 0);
 * } finally {
 *   console.log = log;
 * }
 * ```
 */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(args, USAGE, async () => {
    const raw = parseArgs(args, OPTIONS);
    const lrs = raw.has("lr") ? parseNumberList("lr", raw.get("lr") as string) : [0.03, 0.1, 0.3];
    const seeds = raw.has("seed") ? parseNumberList("seed", raw.get("seed") as string) : [0, 1, 2];
    const workers = raw.has("workers")
      ? parsePositiveInteger("workers", raw.get("workers") as string)
      : undefined;
    const shard = raw.has("shard") ? parseShard(raw.get("shard") as string) : undefined;
    const { out, ...options } = commonGridOptions(raw);
    checkRuns(lrs, seeds, options);
    polars(); // the summary needs it: fail before any work without FFI permission
    const { summarizeGrids } = await import("../lib/experiment/summary/summarize_grid.ts");
    using file = openOut(out, raw);
    let resume: GridResult | undefined;
    if (raw.get("resume") === true) {
      if (file === undefined) throw new UsageError("Option --resume needs --out");
      resume = existsSync(file.path) ? loadGridResult(file.path) : undefined;
    }
    const split = options.final ? "test" : "validation";
    const numRuns = shard === undefined
      ? lrs.length * seeds.length
      : Math.ceil((lrs.length * seeds.length - shard.index + 1) / shard.count);
    let done = resume?.records.length ?? 0;
    const grid = await runGrid({
      ...options,
      lrs,
      seeds,
      ...(workers === undefined ? {} : { workers }),
      ...(resume === undefined ? {} : { resume }),
      ...(shard === undefined ? {} : { shard }),
      onCheckpoint: (partial) => file?.write(partial),
      onProgress: exitIfOrphaned,
      label: `sweep of ${numRuns} run${numRuns === 1 ? "" : "s"}`,
      onRun(record) {
        done++;
        clearProgressLine();
        const { lr, seed } = record.config;
        const head = `run ${done}/${numRuns} (lr ${lr}, seed ${seed}):`;
        const last = record.epochs.at(-1);
        if (record.diverged !== null) {
          const { step, epoch, loss, reason } = record.diverged;
          console.log(
            `${head} diverged at step ${step} (epoch ${epoch}), ${reason}: batch loss ${loss}`,
          );
        } else if (last !== undefined) {
          console.log(
            `${head} ${split} loss ${last.evalLoss.toFixed(4)}, accuracy ` +
              `${percent(last.evalAccuracy)} (${record.seconds.toFixed(1)} s)`,
          );
        }
      },
    }).catch(asUsageError);
    file?.write(grid);
    const summary = summarizeGrids([grid], { by: ["lr"] });
    for (const row of summary) {
      const { ok, diverged } = row;
      const tail = diverged > 0 ? `; diverged in ${diverged} of ${row.runs} runs` : "";
      if (ok === 0) {
        console.log(`lr ${row.lr}: diverged in every run (${row.runs})`);
        continue;
      }
      const std = (value: number | null, format: (v: number) => string) =>
        value === null ? "" : ` ± ${format(value)}`;
      console.log(
        `lr ${row.lr}: ${split} loss ${row.evalLossMean!.toFixed(4)}` +
          `${std(row.evalLossStd, (v) => v.toFixed(4))}, accuracy ` +
          `${percent(row.evalAccuracyMean!)}${std(row.evalAccuracyStd, percent)} ` +
          `over ${ok} seed${ok === 1 ? "" : "s"}${tail}`,
      );
    }
    const saved = file?.path ?? null;
    if (saved !== null) console.log(`saved ${saved}`);
    const { config } = grid;
    const diverged = grid.records.filter((r) => r.diverged !== null).length;
    console.log(JSON.stringify({
      split,
      runs: numRuns,
      ok: numRuns - diverged,
      diverged,
      lrs: config.lrs,
      seeds: config.seeds,
      ...configFields(config),
      backend: config.backend,
      workers: config.workers,
      trainSize: config.trainSize,
      evalSize: config.evalSize,
      seconds: config.seconds,
      out: saved,
      summary: summary.map((row) => ({
        lr: row.lr,
        runs: row.runs,
        diverged: row.diverged,
        loss: row.evalLossMean,
        lossStd: row.evalLossStd,
        accuracy: row.evalAccuracyMean,
        accuracyStd: row.evalAccuracyStd,
      })),
    }));
  });
}

/** I/N, two integers with 1 ≤ I ≤ N (checked against the grid by runGrid). */
function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`Invalid value for --shard: expected I/N, e.g. 2/4, but found "${text}"`);
  }
  return { index: Number(match[1]), count: Number(match[2]) };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
