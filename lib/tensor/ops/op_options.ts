/**
 * The options every composite op takes.
 *
 * @module
 */

import type { Backend } from "../backend.ts";
import type { Matrix } from "../matrix.ts";

/** The options every composite op takes: where to run and where to write. */
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
