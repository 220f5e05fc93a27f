/**
 * Finds the outputs that report a failure: errors, and text written to stderr (the headless
 * runner, scripts/run_notebooks.py, fails a notebook on both).
 *
 * @module
 */

import type { CodeCellOutputs } from "./_find_misplacements.ts";

/** An output that reports a failure, and the code cell it sits under. */
export interface ErrorOutput {
  /** The code cell's number, from 1, counting code cells only. */
  codeCell: number;
  /** "error" or "stream:stderr". */
  kind: string;
  /** The error's name and message, or the first line written to stderr. */
  message: string;
}

/**
 * Every error output and stderr stream of the code cells, in cell order.
 *
 * @param cells The code cells of one run.
 * @returns One entry per failing output.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { errorOutputs } from "./_error_outputs.ts";
 *
 * const errors = errorOutputs([
 *   { source: "x", outputs: [{ output_type: "error", ename: "ReferenceError", evalue: "x is not defined" }] },
 * ]);
 * assertEquals(errors, [{ codeCell: 1, kind: "error", message: "ReferenceError: x is not defined" }]);
 * ```
 */
export function errorOutputs(cells: readonly CodeCellOutputs[]): ErrorOutput[] {
  const errors: ErrorOutput[] = [];
  cells.forEach((cell, i) => {
    for (const output of cell.outputs) {
      if (output.output_type === "error") {
        errors.push({
          codeCell: i + 1,
          kind: "error",
          message: `${output.ename ?? "Error"}: ${output.evalue ?? ""}`,
        });
      } else if (output.output_type === "stream" && output.name === "stderr") {
        const text = Array.isArray(output.text) ? output.text.join("") : output.text ?? "";
        errors.push({
          codeCell: i + 1,
          kind: "stream:stderr",
          message: text.trim().split("\n")[0] ?? "",
        });
      }
    }
  });
  return errors;
}
