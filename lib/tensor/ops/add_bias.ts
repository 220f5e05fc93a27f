/**
 * Bias add, y = x + b on every row, forward and backward.
 *
 * @module
 */

import type { Matrix } from "../matrix.ts";
import { backendOf, outputFor, shapeOf } from "./_common.ts";
import type { OpOptions } from "./op_options.ts";

/**
 * Adds a bias row to every row: y[i, :] = x[i, :] + b. x is (batch, n), b is (1, n), y is
 * (batch, n).
 *
 * @param x The input: (batch, n).
 * @param b The bias: (1, n).
 * @param options Backend and output (out may be x).
 * @returns y: (batch, n).
 *
 * @example
 * ```ts
 * import { addBias } from "./add_bias.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const y = addBias(Matrix.from([[1, 2], [3, 4]]), Matrix.from([[10, 20]]));
 * assertEquals(y.toArray(), [[11, 22], [13, 24]]);
 * ```
 */
export function addBias(x: Matrix, b: Matrix, options: OpOptions = {}): Matrix {
  if (b.rows !== 1 || b.cols !== x.cols) {
    throw new RangeError(
      `Cannot addBias: x is ${shapeOf(x)} so b must be (1, ${x.cols}) but is ${shapeOf(b)}`,
    );
  }
  const y = outputFor("addBias", x.rows, x.cols, options.out);
  return backendOf(options).add({ a: x, b, out: y });
}

/**
 * The bias add's backward pass: db = Σ_i dY[i, :], the upstream gradient summed over the batch
 * (the gradient for x is dY itself). dY is (batch, n), db is (1, n).
 *
 * @param dY The upstream gradient ∂l/∂y: (batch, n).
 * @param options Backend and output.
 * @returns db = ∂l/∂b: (1, n).
 *
 * @example
 * ```ts
 * import { addBiasBackward } from "./add_bias.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(addBiasBackward(Matrix.from([[1, 2], [3, 4]])).toArray(), [[4, 6]]);
 * ```
 */
export function addBiasBackward(dY: Matrix, options: OpOptions = {}): Matrix {
  const db = outputFor("addBiasBackward", 1, dY.cols, options.out);
  return backendOf(options).sum({ x: dY, axis: 0, out: db });
}
