/**
 * The sigmoid, h = σ(k) elementwise, forward and backward.
 *
 * @module
 */

import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { checkSameShape, outputFor } from "./_common.ts";
import { mapElements } from "./_elementwise.ts";
import type { OpOptions } from "./op_options.ts";

/**
 * The sigmoid's forward pass: h = σ(k) = 1 / (1 + e^(−k)) elementwise; k and h are (m, n).
 * Saturates cleanly: e^(−k) overflows to Infinity for k below about −88 and h is then 0.
 *
 * @param k The pre-activations: (m, n).
 * @param options The output (out may be k).
 * @returns h: (m, n), each in [0, 1].
 *
 * @example σ(0) is one half
 * ```ts
 * import { sigmoidForward } from "./sigmoid.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(sigmoidForward(Matrix.from([[0, -1000, 1000]])).toArray(), [[0.5, 0, 1]]);
 * ```
 */
export function sigmoidForward(k: Matrix, options: Pick<OpOptions, "out"> = {}): Matrix {
  const h = outputFor("sigmoidForward", k.rows, k.cols, options.out);
  return mapElements(h, (i, j) => 1 / (1 + Math.exp(-k.data[i * k.cols + j])));
}

/**
 * The sigmoid's backward pass: dK = dH ⊙ σ'(k) = dH ⊙ h ⊙ (1 − h), written with the forward
 * output h. dH, h and dK are (m, n).
 *
 * @param dH The upstream gradient ∂l/∂h: (m, n).
 * @param h The forward pass's output: (m, n).
 * @param options The output (out may be dH or h).
 * @returns dK = ∂l/∂k: (m, n).
 *
 * @example σ'(0) is one quarter
 * ```ts
 * import { sigmoidBackward } from "./sigmoid.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const dK = sigmoidBackward(Matrix.from([[1, 2]]), Matrix.from([[0.5, 0.5]]));
 * assertEquals(dK.toArray(), [[0.25, 0.5]]);
 * ```
 */
export function sigmoidBackward(
  dH: Matrix,
  h: Matrix,
  options: Pick<OpOptions, "out"> = {},
): Matrix {
  checkSameShape("sigmoidBackward", ["dH", "h"], dH, h);
  const dK = outputFor("sigmoidBackward", h.rows, h.cols, options.out);
  return mapElements(dK, (i, j) => {
    const at = i * h.cols + j, hij = h.data[at];
    return dH.data[at] * hij * (1 - hij); // dH ⊙ h ⊙ (1 − h)
  });
}
