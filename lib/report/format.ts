/**
 * The number formats of the notebooks' generated prose (`Deno.jupyter.md`): fixed decimals,
 * percentages, integers with thousands separators, and mean ± standard deviation.
 *
 * @example
 * ```ts
 * import { fix, int, pct } from "./format.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(fix(Math.LN2), "0.693");
 * assertEquals(pct(0.9784), "97.84%");
 * assertEquals(int(55000), "55,000");
 * assertEquals(pmPct(0.9793, 0.0004), "97.93 ± 0.04%");
 * assertEquals(pmFix(0.0712, null), "0.0712");
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

/**
 * A mean ± standard deviation of fractions, in percent.
 *
 * @param mean The mean (0.9793 for 97.93%).
 * @param std The standard deviation, or null (one run): then no ± part.
 * @param digits Decimals. @default {2}
 * @returns E.g. "97.93 ± 0.04%".
 */
export function pmPct(mean: number, std: number | null, digits = 2): string {
  return `${pmFix(100 * mean, std === null ? null : 100 * std, digits)}%`;
}

/**
 * A mean ± standard deviation with fixed decimals.
 *
 * @param mean The mean.
 * @param std The standard deviation, or null (one run): then no ± part.
 * @param digits Decimals. @default {4}
 * @returns E.g. "0.0712 ± 0.0011".
 */
export function pmFix(mean: number, std: number | null, digits = 4): string {
  return `${mean.toFixed(digits)}${std === null ? "" : ` ± ${std.toFixed(digits)}`}`;
}
