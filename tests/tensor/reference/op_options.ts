/**
 * The options of the reference ops.
 *
 * @module
 */

import type { Backend } from "../../../lib/tensor/backend.ts";
import type { Matrix } from "../../../lib/tensor/matrix.ts";

/**
 * The options of the reference ops: where to run (for those built on backend primitives: matmul,
 * sgdUpdate, the compacted products) and where to write (the plain loops take only out).
 */
export interface OpOptions {
  /**
   * The backend to run on.
   *
   * @default {defaultBackend()}
   */
  backend?: Backend;
  /**
   * Where to write the result, of the result's shape; it may be an input of the same shape
   * unless the op says otherwise.
   *
   * @default {a new matrix}
   */
  out?: Matrix;
}
