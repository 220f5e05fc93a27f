import { maxAbsDifference, type NestedNumbers } from "../check/max_abs_difference.ts";
import { type Displayable, table } from "./table.ts";

/** One quantity an exercise computes: the reader's value and the one to match. */
export interface Answer {
  /** What it is, e.g. "∂l/∂k". */
  name: string;
  /** The reader's value: a number, a vector or a matrix (nested arrays or a typed array). */
  yours: NestedNumbers | ArrayLike<number>;
  /** The value to match (the library's, or central differences), the same shape. */
  expected: NestedNumbers | ArrayLike<number>;
}

/** Options of {@linkcode checkExercise}. */
export interface CheckExerciseOptions {
  /** Close means |yours − expected| ≤ atol + rtol·|expected| for every entry. @default {1e-5} */
  rtol?: number;
  /** @default {1e-8} */
  atol?: number;
  /** Throw unless every quantity is close: what the solutions do, so the tests run them. */
  require?: boolean;
}

/**
 * Checks an exercise's answers, as Karpathy's `cmp` does: for each quantity, whether it matches
 * exactly, whether it is close (numpy's `allclose` rule) and the largest |difference|, in a
 * table captioned with the exercise. An unfinished answer (NaN, a wrong shape) shows as not
 * close; with `require` it throws instead, naming the quantities that are not close.
 *
 * @param exercise The caption, e.g. "Exercise 4: the ReLU's backward pass".
 * @param answers The quantities to compare.
 * @param options Tolerances, and whether to throw.
 * @returns The table.
 *
 * @example A vector that matches to rounding, not exactly
 * ```ts
 * import { checkExercise } from "./exercise_check.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const check = checkExercise("sums", [{ name: "s", yours: [0.1 + 0.2], expected: [0.3] }]);
 * assertStringIncludes(check.html, "sums: all close");
 * ```
 */
export function checkExercise(
  exercise: string,
  answers: readonly Answer[],
  options: CheckExerciseOptions = {},
): Displayable {
  const { rtol = 1e-5, atol = 1e-8, require = false } = options;
  const rows = answers.map(({ name, yours, expected }) => {
    const [a, b] = [nested(yours), nested(expected)];
    let difference: number, exact: boolean, close: boolean;
    try {
      difference = maxAbsDifference(a, b);
      exact = difference === 0;
      close = allClose(a, b, rtol, atol);
    } catch (error) { // shapes differ: not close, and say how
      if (require) throw new Error(`${exercise}: ${name}: ${(error as Error).message}`);
      [difference, exact, close] = [NaN, false, false];
    }
    return { quantity: name, exact, close, "max |difference|": difference };
  });
  const failed = rows.filter((row) => !row.close).map((row) => row.quantity);
  if (require && failed.length > 0) {
    throw new Error(`${exercise}: not close (rtol ${rtol}, atol ${atol}): ${failed.join(", ")}`);
  }
  const verdict = failed.length === 0 ? "all close" : `not yet: ${failed.join(", ")}`;
  return table(rows, { caption: `${exercise}: ${verdict}`, digits: 3 });
}

/** A typed array as a plain one; nested arrays as they are. */
function nested(value: NestedNumbers | ArrayLike<number>): NestedNumbers {
  return typeof value === "number" || Array.isArray(value)
    ? value as NestedNumbers
    : Array.from(value as ArrayLike<number>);
}

/** Every entry within atol + rtol·|expected| (NaN never is); shapes checked by maxAbsDifference. */
function allClose(a: NestedNumbers, b: NestedNumbers, rtol: number, atol: number): boolean {
  if (typeof a === "number" || typeof b === "number") {
    return Math.abs((a as number) - (b as number)) <= atol + rtol * Math.abs(b as number);
  }
  return a.every((entry, i) => allClose(entry, b[i], rtol, atol));
}
