/**
 * The sigmoid module, h = σ(k) element by element, forward and backward.
 *
 * @module
 */

import { portableExp } from "../data/portable_math.ts";

/**
 * The sigmoid of one number, σ(k) = 1 / (1 + e^(−k)), as e^k / (1 + e^k) for k < 0 so that no
 * e^x of an x > 0 is taken: the one rule of the scalar network and its flat copy (_flat_network.ts),
 * with {@linkcode portableExp}, alike in every engine.
 *
 * @param k A pre-activation.
 * @returns σ(k), in [0, 1].
 */
export function scalarSigmoid(k: number): number {
  const e = portableExp(-Math.abs(k)); // e^(−k) for k ≥ 0, e^k for k < 0: one call, inlined
  return k >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/**
 * The sigmoid's forward pass: h_j = σ(k_j), element by element with {@linkcode scalarSigmoid}.
 *
 * @param k The pre-activations: (n).
 * @returns The activations h: (n), each in [0, 1].
 *
 * @example σ(0) is one half
 * ```ts
 * import { scalarSigmoidForward } from "./sigmoid.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSigmoidForward([0, -1000, 1000]), [0.5, 0, 1]);
 * ```
 */
export function scalarSigmoidForward(k: readonly number[]): number[] {
  // k and h are (n)
  return k.map(scalarSigmoid);
}

/**
 * The sigmoid's backward pass: dk_j = dh_j σ'(k_j) = dh_j h_j (1 − h_j), from the output h.
 *
 * @param dh The upstream gradient ∂l/∂h: (n).
 * @param h The forward pass's output: (n).
 * @returns The gradient ∂l/∂k: (n).
 *
 * @example σ'(0) is one quarter
 * ```ts
 * import { scalarSigmoidBackward } from "./sigmoid.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarSigmoidBackward([1, 2], [0.5, 0.5]), [0.25, 0.5]);
 * ```
 */
export function scalarSigmoidBackward(dh: readonly number[], h: readonly number[]): number[] {
  // dh, h and dk are (n)
  return h.map((hj, j) => dh[j] * hj * (1 - hj));
}
