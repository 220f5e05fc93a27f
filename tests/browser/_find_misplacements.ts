/**
 * Compares the outputs of every code cell of one run with a reference run of the same notebook.
 *
 * @module
 */

import { type NotebookOutput, outputKinds } from "./_output_kinds.ts";

/** A code cell whose outputs differ in kind or order from the reference run's. */
export interface Misplacement {
  /** The code cell's number, from 1, counting code cells only. */
  codeCell: number;
  /** The first line of the cell's source. */
  firstLine: string;
  /** The kinds of the reference run's outputs (see `outputKinds`). */
  expected: string[];
  /** The kinds of this run's outputs. */
  found: string[];
}

/** A code cell: its source and its outputs. */
export interface CodeCellOutputs {
  /** The cell's source. */
  source: string;
  /** The cell's outputs, in order. */
  outputs: NotebookOutput[];
}

/**
 * The code cells whose output kinds (type, and stream name) differ from the reference's. A cell
 * whose result shows up under the next cell makes two misplacements: one cell misses an output,
 * the next has one too many.
 *
 * @param reference The code cells of the reference run (the headless runner's).
 * @param found The code cells of the run to check, the same cells in the same order.
 * @returns One entry per cell that differs, in cell order.
 *
 * @example A result that landed under the next cell
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { findMisplacements } from "./_find_misplacements.ts";
 *
 * const result = { output_type: "execute_result", data: {} };
 * const misplaced = findMisplacements(
 *   [{ source: "1", outputs: [result] }, { source: "2", outputs: [result] }],
 *   [{ source: "1", outputs: [] }, { source: "2", outputs: [result, result] }],
 * );
 * assertEquals(misplaced.map((m) => m.codeCell), [1, 2]);
 * ```
 */
export function findMisplacements(
  reference: readonly CodeCellOutputs[],
  found: readonly CodeCellOutputs[],
): Misplacement[] {
  if (reference.length !== found.length) {
    throw new RangeError(
      `Expected ${reference.length} code cells as in the reference but found ${found.length}`,
    );
  }
  const misplacements: Misplacement[] = [];
  reference.forEach((cell, i) => {
    const expected = outputKinds(cell.outputs);
    const kinds = outputKinds(found[i].outputs);
    if (expected.join(" ") !== kinds.join(" ")) {
      misplacements.push({
        codeCell: i + 1,
        firstLine: firstLine(cell.source),
        expected,
        found: kinds,
      });
    }
  });
  return misplacements;
}

function firstLine(source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
