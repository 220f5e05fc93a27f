/**
 * Bias add, y = x + b on every row, forward and backward.
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { outputFor, shapeOf } from "./_common.ts";
import { mapElements } from "./_elementwise.ts";
import type { OpOptions } from "./op_options.ts";

/**
 * Adds a bias row to every row: y[i, :] = x[i, :] + b. x is (batch, n), b is (1, n), y is
 * (batch, n).
 *
 * @param x The input: (batch, n).
 * @param b The bias: (1, n).
 * @param options The output (out may be x).
 * @returns y: (batch, n).
 *
 * @example
 * ```ts
 * import { addBias } from "./add_bias.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const y = addBias(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[10, 20]]));
 * assertEquals(y.toArray(), [[11, 22], [13, 24]]);
 * ```
 */
export function addBias(x: Matrix, b: Matrix, options: Pick<OpOptions, "out"> = {}): Matrix {
  if (b.rows !== 1 || b.cols !== x.cols) {
    throw new RangeError(
      `Cannot addBias: x is ${shapeOf(x)} so b must be (1, ${x.cols}) but is ${shapeOf(b)}`,
    );
  }
  const y = outputFor("addBias", x.rows, x.cols, options.out);
  return mapElements(y, (i, j) => x.data[i * x.cols + j] + b.data[j]);
}

/**
 * The bias add's backward pass: db = Σ_i dY[i, :], the upstream gradient summed over the batch
 * (the gradient for x is dY itself). dY is (batch, n), db is (1, n).
 *
 * @param dY The upstream gradient ∂l/∂y: (batch, n).
 * @param options The output.
 * @returns db = ∂l/∂b: (1, n).
 *
 * @example
 * ```ts
 * import { addBiasBackward } from "./add_bias.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(addBiasBackward(Matrix.from([[1, 2], [3, 4]])).toArray(), [[4, 6]]);
 * ```
 */
export function addBiasBackward(dY: Matrix, options: Pick<OpOptions, "out"> = {}): Matrix {
  const db = outputFor("addBiasBackward", 1, dY.cols, options.out);
  const sums = new Float64Array(dY.cols); // in double precision
  for (let i = 0; i < dY.rows; i++) {
    for (let j = 0; j < dY.cols; j++) sums[j] += dY.data[i * dY.cols + j];
  }
  db.data.set(sums);
  return db;
}
