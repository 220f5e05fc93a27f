/**
 * The matrix product with transpose flags, allocating its output: gemm as the tests call it.
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { backendOf, outputFor } from "./_common.ts";
import type { OpOptions } from "./op_options.ts";

/** Options of {@linkcode matmul}. */
export interface MatmulOptions extends OpOptions {
  /** Multiply by Aᵀ instead of A. @default {false} */
  transA?: boolean;
  /** Multiply by Bᵀ instead of B. @default {false} */
  transB?: boolean;
  /** The scale of the product. @default {1} */
  alpha?: number;
  /** The scale of out's old value, to accumulate into out (ignored without out). @default {0} */
  beta?: number;
}

/**
 * The product alpha · op(A) · op(B) (+ beta · out): op(A) is (m, k), op(B) is (k, n), the result
 * is (m, n). out must not share memory with A or B.
 *
 * @param a A: (m, k), or (k, m) with transA.
 * @param b B: (k, n), or (n, k) with transB.
 * @param options Transposes, scales, backend and output.
 * @returns The (m, n) product.
 *
 * @example The three products of a layer: forward, input gradient, weight gradient
 * ```ts
 * import { matmul } from "./matmul.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const x = Matrix.from([[1, 2]]); // (batch 1, inputs 2)
 * const w = Matrix.from([[1, 0, 1], [0, 1, 1]]); // (inputs 2, outputs 3)
 * assertEquals(matmul(x, w).toArray(), [[1, 2, 3]]); // x · w
 * const dY = Matrix.from([[1, 1, 1]]);
 * assertEquals(matmul(dY, w, { transB: true }).toArray(), [[2, 2]]); // dY · wᵀ
 * assertEquals(matmul(x, dY, { transA: true }).toArray(), [[1, 1, 1], [2, 2, 2]]); // xᵀ · dY
 * ```
 */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const m = transA ? a.cols : a.rows, n = transB ? b.rows : b.cols;
  const c = outputFor("matmul", m, n, options.out);
  return backendOf(options).gemm({
    a,
    b,
    c,
    transA,
    transB,
    alpha,
    beta: options.out === undefined ? 0 : beta,
  });
}
