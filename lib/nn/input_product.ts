/**
 * The first layer's product X·W_0 over only the input columns that are not all zero: about 39%
 * of the pixels of a batch of 50 MNIST images, whose rows of W_0 need then not be read, nor (for
 * SGD) updated. The dense product is the reference.
 *
 * Legend: B the batch size, n_0 inputs, n_1 the first layer's units, k the lit columns.
 *
 * @module
 */

import type { Batch } from "../data/batch_loader.ts";
import type { Backend } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";

/** A batch of only its input columns not zero in every example (a compacting BatchLoader's). */
export interface CompactInputs {
  /** The values at those columns: (B, k). */
  values: Matrix;
  /** The k columns, strictly increasing, each from 0 to n_0 − 1. */
  columns: Int32Array;
}

/**
 * Z ← X·W_0, compacted when the inputs are, or when asked to and fewer than 90% of the columns
 * are lit; it keeps what the layer's delta needs.
 */
export class InputProduct {
  /** The last product's input: X (B, n_0), or its values at `columns` (B, k). */
  A: Matrix = new Matrix(0, 0);
  /** The weights it used: W_0, or its rows at `columns` gathered into a scratch (k, n_1). */
  W: Matrix = new Matrix(0, 0);
  /** The lit columns, or null when the product was dense. */
  columns: Int32Array | null = null;
  // the gathered values and rows of W_0, in the backend's memory
  #Xc: Float32Array<ArrayBufferLike> = new Float32Array(0);
  #W0c: Float32Array<ArrayBufferLike> = new Float32Array(0);

  /**
   * Z ← X·W_0.
   *
   * @param backend The backend of the products.
   * @param X The inputs: (B, n_0), or only their lit columns.
   * @param W0 The first layer's weights: (n_0, n_1).
   * @param Z The output: (B, n_1).
   * @param compact Whether to compact a dense X.
   */
  multiply(
    backend: Backend,
    X: Matrix | CompactInputs,
    W0: Matrix,
    Z: Matrix,
    compact: boolean,
  ): void {
    const [n0, n1] = W0.shape, B = Z.rows;
    let columns: Int32Array | null;
    if (X instanceof Matrix) {
      if (X.cols !== n0) {
        throw new RangeError(
          `Cannot forward: X is (${X.rows}, ${X.cols}) but the network takes ${n0} inputs`,
        );
      }
      columns = compact ? backend.nonzeroColumns({ x: X }) : null;
      if (columns === null || columns.length >= 0.9 * n0) {
        [this.A, this.W, this.columns] = [X, W0, null];
        backend.gemm({ a: X, b: W0, c: Z });
        return;
      }
      if (this.#Xc.length < B * columns.length) this.#Xc = backend.matrix(B, n0).data;
      this.A = backend.gatherColumns({ x: X, columns, out: head(this.#Xc, B, columns.length) });
    } else {
      checkCompact(X, n0);
      [this.A, columns] = [X.values, X.columns];
    }
    const k = columns.length;
    if (this.#W0c.length < k * n1) this.#W0c = backend.matrix(n0, n1).data;
    this.W = backend.gatherRows({ x: W0, rows: columns, out: head(this.#W0c, k, n1) });
    this.columns = columns;
    backend.gemm({ a: this.A, b: this.W, c: Z }); // Xc (B, k) · W_0c (k, n_1)
  }
}

/** The first rows · cols elements of a scratch array, as a matrix. */
function head(data: Float32Array, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, data.subarray(0, rows * cols));
}

function checkCompact({ values, columns }: CompactInputs, n0: number): void {
  if (values.cols !== columns.length) {
    const shape = `(${values.rows}, ${values.cols})`;
    throw new RangeError(
      `Cannot forward: the compacted values are ${shape} but there are ${columns.length} columns`,
    );
  }
  columns.forEach((column, c) => {
    if (!(column >= 0 && column < n0 && (c === 0 || column > columns[c - 1]))) {
      const expected = `the columns to increase strictly from 0 to ${n0 - 1}`;
      throw new RangeError(
        `Cannot forward: expected ${expected} but found ${column} at index ${c}`,
      );
    }
  });
}

/**
 * A loader's batch as the first layer's input: X (size, n_0), or its lit columns.
 *
 * @param batch The batch; its arrays are read in place.
 * @param numInputs n_0.
 * @returns The input of {@linkcode InputProduct.multiply}.
 */
export function batchInputs(batch: Batch, numInputs: number): Matrix | CompactInputs {
  const { X, columns, size } = batch;
  return columns === null
    ? new Matrix(size, numInputs, X)
    : { values: new Matrix(size, columns.length, X), columns };
}
