/**
 * The stochastic gradient descent step, with optional momentum.
 *
 * @module
 */

import type { Backend } from "../../../lib/tensor/backend.ts";
import type { Matrix } from "../../../lib/tensor/matrix.ts";
import { backendOf, checkSameShape } from "./_common.ts";

/** Options of {@linkcode sgdUpdate}. */
export interface SgdUpdateOptions {
  /** The learning rate, a finite number. */
  lr: number;
  /**
   * The momentum μ, from 0 to 1; 0 is plain SGD. With momentum a velocity buffer is needed.
   *
   * @default {0}
   */
  momentum?: number;
  /**
   * The velocity v, the shape of the parameter, zeros before the first step; updated in place.
   * Required when momentum is nonzero.
   *
   * @default {undefined}
   */
  velocity?: Matrix;
  /**
   * The backend to run on.
   *
   * @default {defaultBackend()}
   */
  backend?: Backend;
}

/**
 * One SGD step on a parameter, in place: p ← p − lr · g; with momentum μ (PyTorch's form),
 * v ← μ · v + g, then p ← p − lr · v. p, g and v have the same shape.
 *
 * @param param The parameter p, updated in place.
 * @param grad The gradient g = ∂l/∂p.
 * @param options The learning rate, momentum and velocity, backend.
 * @returns The parameter.
 *
 * @example A plain step, then two with momentum
 * ```ts
 * import { sgdUpdate } from "./sgd_update.ts";
 * import { Matrix } from "../../../lib/tensor/matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const p = Matrix.from([[1, 2]]);
 * const g = Matrix.from([[2, -4]]);
 * assertEquals(sgdUpdate(p, g, { lr: 0.5 }).toArray(), [[0, 4]]);
 * const velocity = Matrix.zeros(1, 2);
 * sgdUpdate(p, g, { lr: 0.5, momentum: 0.5, velocity }); // v = g
 * sgdUpdate(p, g, { lr: 0.5, momentum: 0.5, velocity }); // v = 1.5 g
 * assertEquals(velocity.toArray(), [[3, -6]]);
 * assertEquals(p.toArray(), [[-2.5, 9]]);
 * ```
 */
export function sgdUpdate(param: Matrix, grad: Matrix, options: SgdUpdateOptions): Matrix {
  const { lr, momentum = 0, velocity } = options;
  checkSameShape("sgdUpdate", ["param", "grad"], param, grad);
  if (!Number.isFinite(lr)) {
    throw new RangeError(`Expected lr to be a finite number but found ${lr}`);
  }
  if (!(momentum >= 0 && momentum <= 1)) {
    throw new RangeError(`Expected momentum to be from 0 to 1 but found ${momentum}`);
  }
  const backend = backendOf(options);
  if (momentum === 0 && velocity === undefined) {
    return backend.axpby({ alpha: -lr, x: grad, beta: 1, y: param }); // p ← p − lr · g
  }
  if (velocity === undefined) {
    throw new TypeError(`Expected a velocity matrix for momentum ${momentum} but found none`);
  }
  checkSameShape("sgdUpdate", ["param", "velocity"], param, velocity);
  backend.axpby({ alpha: 1, x: grad, beta: momentum, y: velocity }); // v ← μ · v + g
  return backend.axpby({ alpha: -lr, x: velocity, beta: 1, y: param }); // p ← p − lr · v
}
