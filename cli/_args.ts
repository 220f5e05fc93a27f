/**
 * Command-line arguments: options parsed with `node:util`'s parseArgs into a map by flag, with
 * errors that name the flag, values parsed with the same, and the usage text.
 *
 * @module
 */

import { parseArgs as parseNodeArgs } from "node:util";
import { resolve } from "node:path";
import { parseDecimal, parseDecimalList } from "../lib/nn/run_options.ts";

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

/** Raw values by flag: a string for an option with a value, true for a switch. */
export type RawOptions = Map<string, string | true>;

/**
 * Splits the arguments into options (`--flag value`, `--flag=value`, `--switch`) with
 * `node:util`'s parseArgs. Throws a UsageError naming an unknown option, a missing value, a
 * repeated option or a stray argument.
 */
export function parseArgs(args: readonly string[], specs: readonly OptionSpec[]): RawOptions {
  const options = Object.fromEntries(specs.map((s) => [
    s.flag,
    { type: s.value === undefined ? "boolean" as const : "string" as const },
  ]));
  const { tokens } = parseNodeArgs({ args: [...args], options, strict: false, tokens: true });
  const raw: RawOptions = new Map();
  for (const token of tokens) {
    if (token.kind !== "option") {
      throw new UsageError(
        `Unexpected argument "${args[token.index]}": every option starts with --`,
      );
    }
    const spec = specs.find((s) => s.flag === token.name);
    if (spec === undefined) throw new UsageError(`Unknown option --${token.name}`);
    if (raw.has(token.name)) throw new UsageError(`Option --${token.name} given twice`);
    if (spec.value === undefined) {
      if (token.inlineValue) {
        throw new UsageError(
          `Option --${token.name} takes no value but found "${token.rawName}=${token.value}"`,
        );
      }
      raw.set(token.name, true);
    } else if (
      token.value === undefined || token.value.trim() === "" ||
      (!token.inlineValue && token.value.startsWith("--"))
    ) {
      throw new UsageError(`Missing value for --${token.name} (expected ${spec.value})`);
    } else raw.set(token.name, token.value);
  }
  return raw;
}

/** The usage text of a command, each option's help wrapped to fit 100 columns. */
export function usage(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const left = specs.map((s) => `  --${s.flag}${s.value === undefined ? "" : ` ${s.value}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = specs.map((s, i) => {
    const wrapped = s.help.split(" ").reduce<string[]>((out, word) => {
      const last = out.at(-1)!;
      if (last !== "" && last.length + 1 + word.length > 100 - width) out.push(word);
      else out[out.length - 1] = last === "" ? word : `${last} ${word}`;
      return out;
    }, [""]);
    return wrapped.map((line, j) => (j === 0 ? left[i] : "").padEnd(width) + line).join("\n");
  });
  return `Usage: deno task ${command} [options]\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}

/** A flag's text parsed by `parse`, or a UsageError naming the flag. */
export function parsed<T>(flag: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    throw new UsageError(`Invalid value for --${flag}: ${(error as Error).message}`);
  }
}

/** A decimal number, or a UsageError naming the option and echoing the text found. */
export const parseNumber = (flag: string, text: string): number => parsed(flag, text, parseDecimal);

/** A comma-separated list of decimal numbers, none listed twice. */
export const parseNumberList = (flag: string, text: string): number[] =>
  parsed(flag, text, parseDecimalList);

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

/**
 * A path as the user meant it: relative to the folder the command was typed in (`deno task`
 * runs in the project's folder and says where it was started in INIT_CWD).
 */
export function userPath(path: string): string {
  const granted = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
  const base = granted.state === "granted" ? Deno.env.get("INIT_CWD") : undefined;
  return resolve(base ?? Deno.cwd(), path);
}
