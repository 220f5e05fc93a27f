/**
 * The rules every option is checked by (positive number, decay rate, integer of a least value, name
 * from a list), each throwing an {@linkcode OptionError}; and {@linkcode envVar}, where permitted.
 *
 * @module
 */

/** A bad option: a RangeError that also carries the option's name (the CLI maps it to a flag). */
export class OptionError extends RangeError {
  override name = "RangeError";
  /**
   * @param option The option's name, e.g. "batchSize".
   * @param expected What it must be, e.g. "an integer of at least 1".
   * @param found The value found.
   */
  constructor(readonly option: string, expected: string, found: unknown) {
    const shown = Array.isArray(found) ? `[${found.join(", ")}]` : String(found);
    super(`Expected ${option} to be ${expected} but found ${shown}`);
  }
}

/**
 * Checks that an option is a finite number greater than 0 (a learning rate, Adam's ε).
 *
 * @param option The option's name.
 * @param value Its value.
 *
 * @example
 * ```ts
 * import { checkPositive } from "./option_rules.ts";
 * import { assertThrows } from "@std/assert";
 *
 * checkPositive("lr", 0.1);
 * assertThrows(() => checkPositive("lr", 0), RangeError, "Expected lr to be a finite number greater than 0 but found 0");
 * ```
 */
export function checkPositive(option: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new OptionError(option, "a finite number greater than 0", value);
  }
}

/**
 * Checks a decay rate (SGD's momentum, Adam's β₁ and β₂): from 0 to below 1.
 *
 * @param option The option's name.
 * @param value Its value.
 */
export function checkDecayRate(option: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new OptionError(option, "from 0 to below 1", value);
  }
}

/**
 * Checks that an option is an integer of at least `min`.
 *
 * @param option The option's name.
 * @param value Its value.
 * @param min The least value allowed.
 */
export function checkInteger(option: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new OptionError(option, `an integer of at least ${min}`, value);
  }
}

/**
 * Checks that an option is one of a list of names.
 *
 * @param option The option's name.
 * @param value Its value.
 * @param names The names allowed.
 */
export function checkOneOf<T extends string>(
  option: string,
  value: unknown,
  names: readonly T[],
): asserts value is T {
  if (!names.includes(value as T)) {
    throw new OptionError(option, `one of ${names.join(", ")}`, value);
  }
}

/**
 * The value of an environment variable, or undefined when it is unset or may not be read (no
 * permission asked for, none granted).
 *
 * @param name The variable, e.g. "BACKPROP_CACHE".
 * @returns Its value, or undefined.
 */
export function envVar(name: string): string | undefined {
  const permitted = Deno.permissions.querySync({ name: "env", variable: name }).state === "granted";
  return permitted ? Deno.env.get(name) : undefined;
}
