/**
 * The number formats of the notebooks' generated prose (`Deno.jupyter.md`), one place for all
 * chapters: fixed decimals, percentages, integers with thousands separators.
 *
 * @example
 * ```ts
 * import { fix, int, pct } from "./format.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(fix(Math.LN2), "0.693");
 * assertEquals(pct(0.9784), "97.84%");
 * assertEquals(int(55000), "55,000");
 * ```
 *
 * @module
 */

/**
 * A number with a fixed count of decimals.
 *
 * @param value The number.
 * @param digits Decimals. @default {3}
 * @returns E.g. "0.693".
 */
export function fix(value: number, digits = 3): string {
  return value.toFixed(digits);
}

/**
 * A fraction as a percentage.
 *
 * @param value The fraction (0.9784 for 97.84%).
 * @param digits Decimals of the percentage. @default {2}
 * @returns E.g. "97.84%".
 */
export function pct(value: number, digits = 2): string {
  return `${(100 * value).toFixed(digits)}%`;
}

/**
 * An integer with thousands separators.
 *
 * @param value The number.
 * @returns E.g. "55,000".
 */
export function int(value: number): string {
  return value.toLocaleString("en-US");
}
