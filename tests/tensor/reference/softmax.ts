/**
 * The softmax of each row, y_ij = e^(o_ij) / Σ_l e^(o_il).
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { outputFor } from "./_common.ts";
import { mapElements, rowMax, rowSum } from "./_elementwise.ts";
import type { OpOptions } from "./op_options.ts";

/**
 * The softmax of each row: y[i, j] = e^(o[i, j] − m_i) / Σ_l e^(o[i, l] − m_i), with m_i the
 * row's maximum so that no exponential overflows. o and y are (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param options The output (out may be o).
 * @returns y: (batch, numClasses), each row a probability distribution.
 *
 * @example Equal logits, equal probabilities; large logits stay finite
 * ```ts
 * import { softmaxForward } from "./softmax.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const y = softmaxForward(Matrix.from([[3, 3], [1000, -1000]]));
 * assertEquals(y.toArray(), [[0.5, 0.5], [1, 0]]);
 * ```
 */
export function softmaxForward(o: Matrix, options: Pick<OpOptions, "out"> = {}): Matrix {
  const y = outputFor("softmaxForward", o.rows, o.cols, options.out);
  const m = new Float64Array(o.rows), s = new Float64Array(o.rows); // (batch), before y is written
  for (let i = 0; i < o.rows; i++) {
    m[i] = rowMax(o, i);
    s[i] = rowSum(o, i, (v) => Math.exp(v - m[i]));
  }
  return mapElements(y, (i, j) => Math.exp(o.data[i * o.cols + j] - m[i]) / s[i]);
}
