// Plain loops over a Matrix's float32 data, shared by the reference ops: an elementwise map
// (each element computed in double precision, rounded once into the output) and row reductions.
import type { Matrix } from "../../../lib/tensor/matrix.ts";

/**
 * out[i, j] ← f(i, j) for every element of out, row by row. f may read inputs that out aliases:
 * element (i, j) is written only after f(i, j) has read it.
 */
export function mapElements(out: Matrix, f: (i: number, j: number) => number): Matrix {
  const n = out.cols;
  for (let i = 0; i < out.rows; i++) {
    for (let j = 0; j < n; j++) out.data[i * n + j] = f(i, j);
  }
  return out;
}

/** The maximum of row i of x; NaN wins (as in numpy), and an empty row gives −∞. */
export function rowMax(x: Matrix, i: number): number {
  let best = -Infinity;
  for (let j = 0; j < x.cols; j++) {
    const v = x.data[i * x.cols + j];
    if (v > best || v !== v) best = v;
  }
  return best;
}

/** Σ_j f(x[i, j]) over row i of x, in double precision (f is the identity by default). */
export function rowSum(x: Matrix, i: number, f: (v: number) => number = (v) => v): number {
  let sum = 0;
  for (let j = 0; j < x.cols; j++) sum += f(x.data[i * x.cols + j]);
  return sum;
}
