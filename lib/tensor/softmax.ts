/**
 * The softmax of each row of a matrix, in JS: the one softmax outside the backends' fused
 * cross-entropy, whose row loops it shares (backends/_fused.ts).
 *
 * @module
 */

import type { Matrix } from "./matrix.ts";
import { rowArgmax, rowExpSum } from "./backends/_fused.ts";

/**
 * Row-wise softmax, computed stably: out[i, j] = e^(o_ij − m_i) / Σ_k e^(o_ik − m_i), with m_i
 * the largest value of row i (so no e^x overflows), each element in double precision and stored
 * as float32. o and out are (rows, n); out may be o itself, but not partly overlap it.
 *
 * @param o The logits: (rows, n).
 * @param out Where the probabilities go: (rows, n).
 * @returns out, each row summing to 1 (up to rounding).
 *
 * @example Equal logits share the probability; a large one takes nearly all of it
 * ```ts
 * import { softmaxRows } from "./softmax.ts";
 * import { Matrix } from "./matrix.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * const y = softmaxRows(Matrix.from([[0, 0], [1000, 0]]), Matrix.zeros(2, 2));
 * assertEquals(y.toArray()[0], [0.5, 0.5]);
 * assertAlmostEquals(y.get(1, 0), 1);
 * ```
 */
export function softmaxRows(o: Matrix, out: Matrix): Matrix {
  if (out.rows !== o.rows || out.cols !== o.cols) {
    throw new RangeError(
      `Cannot softmaxRows: o is (${o.rows}, ${o.cols}) but out is (${out.rows}, ${out.cols})`,
    );
  }
  const n = o.cols, O = o.data, Y = out.data;
  for (let row = 0; row < o.size; row += n) {
    const m = O[row + rowArgmax(O, row, n)], s = rowExpSum(O, row, n, m);
    for (let j = 0; j < n; j++) Y[row + j] = Math.exp(O[row + j] - m) / s;
  }
  return out;
}
