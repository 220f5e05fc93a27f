/**
 * The options of a training run, each written once: its name, its command-line flag and how the
 * flag's text is parsed, its default, its rule, its help line and the type of its column in a
 * grid's runs frame. `resolveTrainMlpConfig` checks a run by it, the commands build their flags
 * and usage from it, and a grid's runs frame its configuration columns.
 *
 * @module
 */

import {
  checkDecayRate,
  checkInteger,
  checkOneOf,
  checkPositive,
  OptionError,
} from "../options/option_rules.ts";
import { ACTIVATION_NAMES, type ActivationName } from "../tensor/activation.ts";
import { INIT_NAMES, type InitName } from "./init.ts";
import { LOSS_NAMES, type LossName } from "./loss.ts";
import {
  OPTIMIZER_NAMES,
  type OptimizerName,
  SCHEDULE_NAMES,
  type ScheduleName,
} from "./optimizer.ts";

/** The type of an option's column in a grid's runs frame ("sizes": a list as text, "300,100"). */
export type ColumnType = "int" | "float" | "string" | "bool" | "sizes";

/** One option of a run. */
export interface RunOption<T, Shared extends boolean = boolean> {
  /** Its command-line flag without the dashes, or null when the commands do not set it. */
  flag: string | null;
  /** The placeholder of its value in the usage, e.g. "N". */
  placeholder: string;
  /** Its default (none: the option is required). */
  default?: T;
  /** The value of the flag's text; throws a RangeError saying what was expected and found. */
  parse: (text: string) => T;
  /** Its rule: throws an OptionError naming the option, the value found and what is allowed. */
  check: (value: unknown) => void;
  /** One line of help (the commands add the default). */
  help: string;
  /** Its column's type in a grid's runs frame. */
  column: ColumnType;
  /** Whether every run of a grid shares it (a column of the runs frame and of the grid). */
  shared: Shared;
}

/** A decimal number as people type it: 12, -0.5, .3, 1e-3 (no hex, octal, binary or Infinity). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal number, or a RangeError echoing the text.
 *
 * @param text The text.
 * @returns The number.
 */
export function parseDecimal(text: string): number {
  if (!DECIMAL.test(text.trim())) {
    throw new RangeError(`expected a decimal number but found "${text}"`);
  }
  return Number(text.trim());
}

/**
 * A comma-separated list of decimal numbers, none listed twice.
 *
 * @param text The text, e.g. "0.01,0.1".
 * @returns The numbers.
 */
export function parseDecimalList(text: string): number[] {
  const values = text.split(",").map(parseDecimal);
  const twice = values.find((value, i) => values.indexOf(value) !== i);
  if (twice !== undefined) throw new RangeError(`${twice} is listed twice in "${text}"`);
  return values;
}

/** A number option with a flag (its placeholder "N" unless given), shared by a grid's runs. */
function decimal(
  option: Pick<RunOption<number>, "flag" | "default" | "check" | "help" | "column"> & {
    placeholder?: string;
  },
): RunOption<number, true> {
  return { placeholder: "N", ...option, parse: parseDecimal, shared: true };
}

/** An option naming one of a list, shared by a grid's runs; `help` comes before the names. */
function oneOf<T extends string>(
  name: string,
  names: readonly T[],
  fallback: T,
  help: string,
): RunOption<T, true> {
  return {
    flag: name,
    placeholder: "NAME",
    default: fallback,
    parse: (text: string) => text as T, // checked by the rule
    check: (value: unknown) => checkOneOf(name, value, names),
    help: `${help}: ${names.join(", ")}`,
    column: "string",
    shared: true,
  };
}

/** A true-or-false option that the commands do not set, true by default. */
function aSwitch<S extends boolean>(name: string, help: string, shared: S): RunOption<boolean, S> {
  return {
    flag: null,
    placeholder: "",
    default: true,
    parse: () => true, // a switch's flag has no text: true when given
    check(value: unknown) {
      if (typeof value !== "boolean") throw new OptionError(name, "true or false", value);
    },
    help,
    column: "bool",
    shared,
  };
}

/** The options of a run by name: each one's value type, and whether a grid's runs share it. */
export interface RunOptions {
  lr: RunOption<number, false>;
  seed: RunOption<number, false>;
  epochs: RunOption<number, true>;
  batchSize: RunOption<number, true>;
  hidden: RunOption<readonly number[], true>;
  activation: RunOption<ActivationName, true>;
  optimizer: RunOption<OptimizerName, true>;
  momentum: RunOption<number, true>;
  schedule: RunOption<ScheduleName, true>;
  init: RunOption<InitName, true>;
  loss: RunOption<LossName, true>;
  stopOnDivergence: RunOption<boolean, true>;
  trainEvalSize: RunOption<number, true>;
  compact: RunOption<boolean, true>;
  evaluateEachEpoch: RunOption<boolean, false>;
}

/** Every option of a run, in the order they are checked and listed. */
export const RUN_OPTIONS: Readonly<RunOptions> = {
  lr: {
    flag: null, // the commands' own: one rate (train) or a list (sweep)
    placeholder: "RATE",
    parse: parseDecimal,
    check(value: unknown) {
      checkPositive("lr", value);
      if (Math.fround(value) === 0) {
        throw new OptionError("lr", "large enough not to round to 0 in float32 (≥ 1.5e-45)", value);
      }
    },
    help: "learning rate",
    column: "float",
    shared: false,
  },
  seed: {
    flag: null, // the commands' own: one seed (train) or a list (sweep)
    placeholder: "N",
    parse: parseDecimal,
    check(value: unknown) {
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw new OptionError("seed", "a safe integer", value);
      }
    },
    help: "seed of the weights and the shuffling",
    column: "int",
    shared: false,
  },
  epochs: decimal({
    flag: "epochs",
    default: 5,
    check: (value: unknown) => checkInteger("epochs", value, 1),
    help: "epochs, passes over the training set",
    column: "int",
  }),
  batchSize: decimal({
    flag: "batch",
    default: 50,
    check: (value: unknown) => checkInteger("batchSize", value, 1),
    help: "examples per batch",
    column: "int",
  }),
  hidden: {
    flag: "hidden",
    placeholder: "SIZES",
    default: [300],
    parse: parseDecimalList,
    check(value: unknown) {
      if (
        !Array.isArray(value) || value.length === 0 ||
        !value.every((n) => Number.isInteger(n) && n >= 1)
      ) {
        throw new OptionError("hidden", "a list of one or more integers of at least 1", value);
      }
    },
    help: "hidden layer sizes, comma-separated, e.g. 300,100",
    column: "sizes",
    shared: true,
  },
  activation: oneOf("activation", ACTIVATION_NAMES, "sigmoid", "hidden activation"),
  optimizer: oneOf("optimizer", OPTIMIZER_NAMES, "sgd", "optimizer"),
  momentum: decimal({
    flag: "momentum",
    placeholder: "M",
    default: 0,
    check: (value: unknown) => checkDecayRate("momentum", value),
    help: "SGD momentum, from 0 to below 1",
    column: "float",
  }),
  schedule: oneOf("schedule", SCHEDULE_NAMES, "constant", "learning-rate schedule"),
  init: oneOf("init", INIT_NAMES, "fanIn", "weight initialisation"),
  loss: oneOf("loss", LOSS_NAMES, "crossEntropy", "the loss trained on (seedReport: the report's)"),
  stopOnDivergence: aSwitch("stopOnDivergence", "stop a run whose loss explodes", true),
  trainEvalSize: decimal({
    flag: "train-eval",
    default: 0,
    check: (value: unknown) => checkInteger("trainEvalSize", value, 0),
    help: "training images scored after every epoch, in a pass of their own (0: none)",
    column: "int",
  }),
  compact: aSwitch("compact", "skip all-zero input columns in the first layer", true),
  evaluateEachEpoch: aSwitch(
    "evaluateEachEpoch",
    "score the evaluation set after every epoch",
    false,
  ),
};

/** The name of a run option. */
export type RunOptionName = keyof RunOptions;

/** The names of the run options, in order. */
export const RUN_OPTION_NAMES = Object.keys(RUN_OPTIONS) as RunOptionName[];

/** The values of the run options by name: a run's configuration. */
export type RunOptionValues = {
  [K in RunOptionName]: RunOptions[K] extends RunOption<infer T, boolean> ? T : never;
};

/** The name of a run option that every run of a grid shares (its `shared` is true). */
export type SharedRunField = {
  [K in RunOptionName]: RunOptions[K]["shared"] extends true ? K : never;
}[RunOptionName];
