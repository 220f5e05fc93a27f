/**
 * The sigmoid module, h = σ(k) element by element, forward and backward.
 *
 * @module
 */

/**
 * The sigmoid's forward pass: h_j = σ(k_j) = 1 / (1 + e^(−k_j)), computed without overflow for
 * any k (e^(−k) is only ever taken for k ≥ 0).
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
  const h = new Array<number>(k.length);
  for (let j = 0; j < k.length; j++) {
    if (k[j] >= 0) {
      h[j] = 1 / (1 + Math.exp(-k[j]));
    } else {
      const e = Math.exp(k[j]);
      h[j] = e / (1 + e);
    }
  }
  return h;
}

/**
 * The sigmoid's backward pass: dk_j = dh_j σ'(k_j) = dh_j h_j (1 − h_j), written with the
 * forward output h.
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
  const dk = new Array<number>(h.length);
  for (let j = 0; j < h.length; j++) dk[j] = dh[j] * h[j] * (1 - h[j]);
  return dk;
}
