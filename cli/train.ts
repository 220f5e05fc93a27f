/**
 * `deno task train`: one training run of the 784-300-10 MNIST network. A progress bar on stderr
 * (on a terminal), one line of metrics per epoch on stdout, then one JSON line with the result;
 * `--out FILE` saves the run as parquet. Exit codes: 0 (a diverged run included), 1 on a failure,
 * 2 on a bad option (before any work).
 *
 * @module
 */

import { runGrid } from "../lib/experiment/run/run_grid.ts";
import { type EpochRecord, splitsOverTwoCores } from "../lib/nn/train_mlp.ts";
import {
  asUsageError,
  checkRuns,
  COMMON_OPTIONS,
  commonGridOptions,
  configFields,
  openOut,
} from "./_options.ts";
import { type OptionSpec, parseArgs, parseNumber, usage } from "./_args.ts";
import { clearProgressLine, exitIfOrphaned, percent, runCommand } from "./_command.ts";

const OPTIONS: readonly OptionSpec[] = [
  { flag: "lr", value: "RATE", help: "learning rate (default 0.1)" },
  { flag: "seed", value: "N", help: "seed of the weights and the shuffling (default 0)" },
  ...COMMON_OPTIONS,
];

const USAGE = usage(
  "train",
  "Trains the MNIST network once with minibatches (SGD or Adam) and prints the validation (or,\n" +
    "with --final, test) loss and accuracy after every epoch; the last line is a JSON object.",
  OPTIONS,
);

/**
 * Runs `train` with command-line arguments.
 *
 * @param args The arguments, e.g. `["--lr", "0.1", "--epochs", "1"]`.
 * @returns The exit code.
 *
 * @example --help prints the usage and returns 0 (here with the printing switched off)
 * ```ts
 * import { main } from "./train.ts";
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
    const lr = raw.has("lr") ? parseNumber("lr", raw.get("lr") as string) : 0.1;
    const seed = raw.has("seed") ? parseNumber("seed", raw.get("seed") as string) : 0;
    const { out, ...options } = commonGridOptions(raw);
    const planned = checkRuns([lr], [seed], options);
    const numEpochs = planned.epochs;
    options.cores ??= navigator.hardwareConcurrency >= 2 && splitsOverTwoCores(planned) ? 2 : 1;
    using file = openOut(out, raw);
    const split = options.final ? "test" : "validation";
    /** One line of an epoch's numbers. */
    const printEpoch = (record: EpochRecord) => {
      clearProgressLine();
      console.log(
        `epoch ${record.epoch}/${numEpochs}  train loss ${record.trainLoss.toFixed(4)}  ` +
          `train accuracy ${percent(record.trainAccuracy)}  ` +
          `${split} loss ${record.evalLoss.toFixed(4)}  ${split} accuracy ` +
          `${percent(record.evalAccuracy)}  ${record.trainSeconds.toFixed(1)} s`,
      );
    };
    const grid = await runGrid({
      ...options,
      lrs: [lr],
      seeds: [seed],
      workers: 1,
      onProgress: exitIfOrphaned,
      label: `train lr ${lr} seed ${seed}`,
      onEpoch: ({ record }) => printEpoch(record),
    }).catch(asUsageError);
    const record = grid.records[0];
    const reused = grid.config.runsReused === 1;
    if (reused) {
      console.log(
        "reused from the run store (the same run was trained before; --no-cache trains it)",
      );
      for (const epoch of record.epochs) printEpoch(epoch);
    }
    const last = record.epochs.at(-1);
    if (record.diverged !== null) {
      const { step, epoch, loss, reason } = record.diverged;
      console.log(`diverged at step ${step} (epoch ${epoch}), ${reason}: batch loss ${loss}`);
    }
    file?.write(grid);
    const saved = file?.path ?? null;
    if (saved !== null) console.log(`saved ${saved}`);
    const ok = record.diverged === null;
    const { config } = record;
    console.log(JSON.stringify({
      status: ok ? "ok" : "diverged",
      split,
      loss: ok ? last!.evalLoss : null,
      accuracy: ok ? last!.evalAccuracy : null,
      trainLoss: ok ? last!.trainLoss : null,
      divergedStep: record.diverged?.step ?? null,
      divergedReason: record.diverged?.reason ?? null,
      epochsDone: record.epochs.length,
      lr: config.lr,
      seed: config.seed,
      ...configFields(config),
      backend: config.backend,
      cores: options.cores,
      trainSize: grid.config.trainSize,
      evalSize: grid.config.evalSize,
      seconds: record.seconds,
      source: reused ? "run store" : "trained",
      out: saved,
    }));
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
