/**
 * The best configuration of a summary: the one a validation table chooses.
 *
 * @module
 */

import type { GridSummaryRow } from "./summarize_grid.ts";

/**
 * The row with the highest mean validation accuracy among those where no run diverged (a tie
 * goes to the lower mean loss). Throws a RangeError when every row has a diverged run.
 *
 * @param rows Summary rows, e.g. from {@linkcode summarizeGrids}.
 * @returns The best row.
 *
 * @example
 * ```ts
 * import { bestRow } from "./best_row.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const row = (lr: number, accuracy: number, diverged = 0) =>
 *   ({ lr, runs: 3, ok: 3 - diverged, diverged, evalAccuracyMean: accuracy, evalLossMean: 1 - accuracy });
 * assertEquals(bestRow([row(0.1, 0.9), row(0.3, 0.95), row(1, 0.97, 1)]).lr, 0.3);
 * ```
 */
export function bestRow<
  T extends Pick<GridSummaryRow, "diverged" | "evalAccuracyMean" | "evalLossMean">,
>(
  rows: readonly T[],
): T {
  const candidates = rows.filter((r) => r.diverged === 0 && r.evalAccuracyMean !== null);
  if (candidates.length === 0) {
    throw new RangeError(
      `Expected a row where no run diverged among the ${rows.length} rows but found none`,
    );
  }
  return candidates.reduce((a, b) =>
    b.evalAccuracyMean! > a.evalAccuracyMean! ||
      (b.evalAccuracyMean === a.evalAccuracyMean && b.evalLossMean! < a.evalLossMean!)
      ? b
      : a
  );
}
