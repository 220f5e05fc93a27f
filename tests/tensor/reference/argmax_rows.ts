/**
 * The predicted class of each row: the column of its maximum.
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { shapeOf } from "./_common.ts";

/**
 * The column index of each row's maximum (the first one on ties): the predicted classes of a
 * batch of logits or probabilities. x is (batch, numClasses), with numClasses ≥ 1.
 *
 * @param x The scores: (batch, numClasses).
 * @returns batch indices from 0 to numClasses − 1.
 *
 * @example
 * ```ts
 * import { argmaxRows } from "./argmax_rows.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(argmaxRows(Matrix.from([[0.1, 0.7, 0.2], [5, 1, 5]])), Int32Array.of(1, 0));
 * ```
 */
export function argmaxRows(x: Matrix): Int32Array {
  if (x.cols === 0 && x.rows > 0) {
    throw new RangeError(`Cannot argmaxRows: x ${shapeOf(x)} has no classes`);
  }
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    for (let j = 1; j < x.cols; j++) {
      if (x.data[i * x.cols + j] > x.data[i * x.cols + best]) best = j;
    }
    out[i] = best;
  }
  return out;
}
