/**
 * Column compaction: the products with a batch of images, skipping the pixel columns that are 0
 * in every image of the batch (about 39% of MNIST's 784 in a batch of 50). The dense products
 * (gemm) are the reference; these give the same result with smaller products.
 *
 * X is (batch, n), of which k columns hold a nonzero; Xc is X with only those k columns.
 *
 * @module
 */

import type { Backend } from "../../../lib/tensor/backend.ts";
import { Matrix } from "../../../lib/tensor/matrix.ts";
import { backendOf, outputFor, shapeOf } from "./_common.ts";
import type { OpOptions } from "./op_options.ts";

/** A batch with its all-zero columns taken out, and where the rest came from. */
export interface CompactedColumns {
  /** The columns of X holding a nonzero, in increasing order: k of them. */
  columns: Int32Array;
  /** Xc, the batch with only those columns: (batch, k). */
  values: Matrix;
  /** n, the number of columns of X. */
  cols: number;
}

/** Options of {@linkcode compactColumns}. */
export interface CompactColumnsOptions {
  /**
   * The backend to run on.
   *
   * @default {defaultBackend()}
   */
  backend?: Backend;
}

/**
 * Finds the columns of X holding a nonzero and gathers them: X is (batch, n), Xc is (batch, k).
 * Compact once per batch, then use it for both products with X.
 *
 * @param x The batch X: (batch, n).
 * @param options The backend.
 * @returns The compacted batch.
 *
 * @example
 * ```ts
 * import { compactColumns } from "./compact_columns.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const cx = compactColumns(Matrix.from([[0, 1, 0, 2], [0, 3, 0, 0]]));
 * assertEquals(cx.columns, Int32Array.of(1, 3));
 * assertEquals(cx.values.toArray(), [[1, 2], [3, 0]]);
 * ```
 */
export function compactColumns(x: Matrix, options: CompactColumnsOptions = {}): CompactedColumns {
  const backend = backendOf(options);
  const columns = backend.nonzeroColumns({ x });
  const values = backend.gatherColumns({ x, columns, out: new Matrix(x.rows, columns.length) });
  return { columns, values, cols: x.cols };
}

/**
 * X · W computed as Xc · Wc, where Wc holds the rows of W matching the kept columns (the rows
 * multiplied by zero columns are skipped). X is (batch, n), W is (n, h), Xc is (batch, k), Wc is
 * (k, h); the result is (batch, h).
 *
 * @param cx The compacted batch, from {@linkcode compactColumns}.
 * @param w W: (n, h).
 * @param options Backend and output.
 * @returns X · W: (batch, h).
 *
 * @example Same as the dense product
 * ```ts
 * import { compactColumns, compactedMatmul } from "./compact_columns.ts";
 * import { gemmNaive } from "../../../lib/tensor/backends/js.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const x = Matrix.from([[0, 1, 0], [0, 2, 3]]);
 * const w = Matrix.from([[1, 2], [3, 4], [5, 6]]);
 * const dense = gemmNaive({ a: x, b: w, c: new Matrix(2, 2) });
 * assertEquals(compactedMatmul(compactColumns(x), w).toArray(), dense.toArray());
 * ```
 */
export function compactedMatmul(cx: CompactedColumns, w: Matrix, options: OpOptions = {}): Matrix {
  if (w.rows !== cx.cols) {
    throw new RangeError(
      `Cannot compactedMatmul: X is (${cx.values.rows}, ${cx.cols}) but W is ${shapeOf(w)}`,
    );
  }
  const backend = backendOf(options);
  const k = cx.columns.length;
  const wc = backend.gatherRows({ x: w, rows: cx.columns, out: new Matrix(k, w.cols) });
  const out = outputFor("compactedMatmul", cx.values.rows, w.cols, options.out);
  return backend.gemm({ a: cx.values, b: wc, c: out });
}

/**
 * Xᵀ · D computed as Xcᵀ · D, which gives only the rows of the result at the kept columns; the
 * others are zero (they are sums of zeros). X is (batch, n), D is (batch, h), Xc is (batch, k);
 * the result is (n, h). In a layer this is the weight gradient dW = Xᵀ · dK.
 *
 * @param cx The compacted batch, from {@linkcode compactColumns}.
 * @param d D: (batch, h).
 * @param options Backend and output (out is overwritten, every row of it).
 * @returns Xᵀ · D: (n, h).
 *
 * @example Same as the dense product
 * ```ts
 * import { compactColumns, compactedMatmulTransA } from "./compact_columns.ts";
 * import { gemmNaive } from "../../../lib/tensor/backends/js.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const x = Matrix.from([[0, 1, 0], [0, 2, 3]]);
 * const d = Matrix.from([[1, 2], [3, 4]]);
 * const dense = gemmNaive({ a: x, b: d, c: new Matrix(3, 2), transA: true });
 * assertEquals(compactedMatmulTransA(compactColumns(x), d).toArray(), dense.toArray());
 * ```
 */
export function compactedMatmulTransA(
  cx: CompactedColumns,
  d: Matrix,
  options: OpOptions = {},
): Matrix {
  if (d.rows !== cx.values.rows) {
    throw new RangeError(
      `Cannot compactedMatmulTransA: X is (${cx.values.rows}, ${cx.cols}) but D is ${shapeOf(d)}`,
    );
  }
  const backend = backendOf(options);
  const k = cx.columns.length;
  const partial = backend.gemm({ a: cx.values, b: d, c: new Matrix(k, d.cols), transA: true });
  const out = outputFor("compactedMatmulTransA", cx.cols, d.cols, options.out);
  out.data.fill(0);
  return backend.scatterRows({ x: partial, rows: cx.columns, out });
}
