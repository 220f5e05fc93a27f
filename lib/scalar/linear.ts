/**
 * The linear module, k = x W + b, forward and backward in explicit loops.
 *
 * @module
 */

/** The weights of a linear module: W is (numIn, numOut), b is (numOut). */
export interface ScalarLinearParams {
  /** The weight matrix, W[i][j] from input i to output j: (numIn, numOut). */
  W: readonly (readonly number[])[];
  /** The bias, one per output: (numOut). */
  b: readonly number[];
}

/** What {@linkcode scalarLinearBackward} reads, and the gradient buffers it adds to. */
export interface ScalarLinearBackwardOptions extends Pick<ScalarLinearParams, "W"> {
  /** The input of the forward pass: (numIn). */
  x: readonly number[];
  /** Gradient buffer for W, (numIn, numOut): ∂l/∂W is added to it with +=. */
  dW: number[][];
  /** Gradient buffer for b, (numOut): ∂l/∂b is added to it with +=. */
  db: number[];
}

/**
 * The linear module's forward pass: k_j = Σ_i x_i W_ij + b_j.
 *
 * @param x The input: (numIn).
 * @param params The weights W (numIn, numOut) and bias b (numOut).
 * @returns The output k: (numOut).
 *
 * @example One input, two outputs
 * ```ts
 * import { scalarLinearForward } from "./linear.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(scalarLinearForward([2], { W: [[1, -1]], b: [0.5, 0] }), [2.5, -2]);
 * ```
 */
export function scalarLinearForward(x: readonly number[], params: ScalarLinearParams): number[] {
  // x is (numIn), W is (numIn, numOut), b and k are (numOut)
  const { W, b } = params;
  if (W.length !== x.length) {
    throw new TypeError(
      `Expected W to have ${x.length} rows (one per input) but found ${W.length}`,
    );
  }
  const k = b.slice();
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < k.length; j++) k[j] += x[i] * W[i][j];
  }
  return k;
}

/**
 * The linear module's backward pass: given dk = ∂l/∂k, adds ∂l/∂W_ij = x_i dk_j to dW and
 * ∂l/∂b_j = dk_j to db, and returns dx_i = ∂l/∂x_i = Σ_j W_ij dk_j.
 *
 * @param dk The upstream gradient ∂l/∂k: (numOut).
 * @param options The forward pass's x and W, and the buffers dW and db to accumulate into.
 * @returns The gradient with respect to the input, dx: (numIn).
 *
 * @example Gradients of k = x W + b
 * ```ts
 * import { scalarLinearBackward } from "./linear.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const dW = [[0, 0]];
 * const db = [0, 0];
 * const dx = scalarLinearBackward([1, 3], { x: [2], W: [[1, -1]], dW, db });
 * assertEquals(dx, [-2]);
 * assertEquals(dW, [[2, 6]]);
 * assertEquals(db, [1, 3]);
 * ```
 */
export function scalarLinearBackward(
  dk: readonly number[],
  options: ScalarLinearBackwardOptions,
): number[] {
  // dk is (numOut), x and dx are (numIn), W and dW are (numIn, numOut), db is (numOut)
  const { x, W, dW, db } = options;
  const dx = new Array<number>(x.length).fill(0);
  for (let j = 0; j < dk.length; j++) db[j] += dk[j];
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < dk.length; j++) {
      dW[i][j] += x[i] * dk[j];
      dx[i] += W[i][j] * dk[j];
    }
  }
  return dx;
}
