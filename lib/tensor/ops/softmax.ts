/**
 * The softmax of each row, y_ij = e^(o_ij) / Σ_l e^(o_il).
 *
 * @module
 */

import { Matrix } from "../matrix.ts";
import { backendOf, outputFor } from "./_common.ts";
import type { OpOptions } from "./op_options.ts";

/**
 * The softmax of each row: y[i, j] = e^(o[i, j] − m_i) / Σ_l e^(o[i, l] − m_i), with m_i the
 * row's maximum so that no exponential overflows. o and y are (batch, numClasses).
 *
 * @param o The logits: (batch, numClasses).
 * @param options Backend and output (out may be o).
 * @returns y: (batch, numClasses), each row a probability distribution.
 *
 * @example Equal logits, equal probabilities; large logits stay finite
 * ```ts
 * import { softmaxForward } from "./softmax.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const y = softmaxForward(Matrix.from([[3, 3], [1000, -1000]]));
 * assertEquals(y.toArray(), [[0.5, 0.5], [1, 0]]);
 * ```
 */
export function softmaxForward(o: Matrix, options: OpOptions = {}): Matrix {
  const backend = backendOf(options);
  const m = backend.max({ x: o, axis: 1, out: new Matrix(o.rows, 1) });
  const y = outputFor("softmaxForward", o.rows, o.cols, options.out);
  backend.sub({ a: o, b: m, out: y }); // o − m, each row
  backend.exp({ x: y, out: y });
  const s = backend.sum({ x: y, axis: 1, out: new Matrix(o.rows, 1) });
  return backend.div({ a: y, b: s, out: y });
}
