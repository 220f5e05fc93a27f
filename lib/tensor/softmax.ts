/**
 * The softmax of each row of a matrix (the one outside the backends' fused cross-entropy, which
 * shares its row loops), and the largest logit of a row.
 *
 * @module
 */

import type { Matrix } from "./matrix.ts";

/**
 * Row-wise softmax, computed stably: out[i, j] = e^(o_ij − m_i) / Σ_k e^(o_ik − m_i), m_i the
 * largest of row i, in double precision stored as float32. out may be o itself.
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
 * const y = softmaxRows(Matrix.from([[0, 0], [1000, 0]]), new Matrix(2, 2));
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

/** Where the first largest of the n values of x from `start` is: 0 to n − 1 (n ≥ 1). */
export function rowArgmax(x: Float32Array, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[start + j] > x[start + best]) best = j;
  return best;
}

/** Σ_j e^(x[start + j] − max) over the n values of x from `start`, in double precision. */
export function rowExpSum(x: Float32Array, start: number, n: number, max: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[start + j] - max);
  return s;
}
