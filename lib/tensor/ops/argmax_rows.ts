/**
 * The predicted class of each row: the column of its maximum.
 *
 * @module
 */

import type { Backend } from "../backend.ts";
import type { Matrix } from "../matrix.ts";
import { backendOf } from "./_common.ts";

/** Options of {@linkcode argmaxRows}. */
export interface ArgmaxRowsOptions {
  /**
   * The backend to run on.
   *
   * @default {defaultBackend()}
   */
  backend?: Backend;
}

/**
 * The column index of each row's maximum (the first one on ties): the predicted classes of a
 * batch of logits or probabilities. x is (batch, numClasses), with numClasses ≥ 1.
 *
 * @param x The scores: (batch, numClasses).
 * @param options The backend.
 * @returns batch indices from 0 to numClasses − 1.
 *
 * @example
 * ```ts
 * import { argmaxRows } from "./argmax_rows.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(argmaxRows(Matrix.from([[0.1, 0.7, 0.2], [5, 1, 5]])), Int32Array.of(1, 0));
 * ```
 */
export function argmaxRows(x: Matrix, options: ArgmaxRowsOptions = {}): Int32Array {
  return backendOf(options).argmax({ x, axis: 1, out: new Int32Array(x.rows) });
}
