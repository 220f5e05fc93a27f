/**
 * The first layer's product X·W_0 over only the input columns that are not all zero: about 39%
 * of a batch of 50 MNIST images' pixels are zero in every image, so their rows of W_0 need not be
 * read, and (for SGD) not be updated. The dense product is the reference.
 *
 * Legend: B the batch size, n_0 inputs, n_1 the first layer's units, k the lit columns.
 *
 * @module
 */

import type { Batch } from "../data/batch_loader.ts";
import type { Backend } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";

/**
 * A batch that holds only the input columns not zero in every example (as a compacting
 * BatchLoader builds it from the image bytes): what the first layer's products need, without
 * the zeros.
 */
export interface CompactInputs {
  /** The values at those columns: (B, k). */
  values: Matrix;
  /** The k columns, strictly increasing, each from 0 to n_0 − 1. */
  columns: Int32Array;
}

/**
 * Z ← X·W_0, compacted when given compacted inputs, or when asked to and fewer than 90% of the
 * columns are lit; it keeps what the layer's delta needs: the input multiplied, the rows of W_0
 * used (a scratch copy when compacted) and their columns.
 */
export class InputProduct {
  /** The last product's input: X (B, n_0), or its values at `columns` (B, k). */
  A: Matrix = new Matrix(0, 0);
  /** The weights it used: W_0, or its rows at `columns` gathered into a scratch (k, n_1). */
  W: Matrix = new Matrix(0, 0);
  /** The lit columns, or null when the product was dense. */
  columns: Int32Array | null = null;
  #Xc: Float32Array<ArrayBufferLike> = new Float32Array(0); // gathered values, in the backend's memory
  #W0c: Float32Array<ArrayBufferLike> = new Float32Array(0); // gathered rows of W_0, in the backend's memory

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
    if (X instanceof Matrix) {
      if (X.cols !== n0) {
        throw new RangeError(
          `Cannot forward: X is (${X.rows}, ${X.cols}) but the network takes ${n0} inputs`,
        );
      }
    } else checkCompact(X, n0);
    const columns = X instanceof Matrix
      ? (compact ? backend.nonzeroColumns({ x: X }) : null)
      : X.columns;
    if (X instanceof Matrix && (columns === null || columns.length >= 0.9 * n0)) {
      [this.A, this.W, this.columns] = [X, W0, null];
      backend.gemm({ a: X, b: W0, c: Z });
      return;
    }
    const k = columns!.length;
    if (X instanceof Matrix) {
      if (this.#Xc.length < B * k) this.#Xc = backend.matrix(B, n0).data;
      this.A = backend.gatherColumns({ x: X, columns: columns!, out: this.#scratch("Xc", B, k) });
    } else this.A = X.values;
    if (this.#W0c.length < k * n1) this.#W0c = backend.matrix(n0, n1).data;
    this.W = backend.gatherRows({ x: W0, rows: columns!, out: this.#scratch("W0c", k, n1) });
    this.columns = columns;
    backend.gemm({ a: this.A, b: this.W, c: Z }); // Xc (B, k) · W_0c (k, n_1)
  }

  #scratch(which: "Xc" | "W0c", rows: number, cols: number): Matrix {
    const data = which === "Xc" ? this.#Xc : this.#W0c;
    return new Matrix(rows, cols, data.subarray(0, rows * cols));
  }
}

function checkCompact({ values, columns }: CompactInputs, n0: number): void {
  if (values.cols !== columns.length) {
    throw new RangeError(
      `Cannot forward: the compacted values are (${values.rows}, ${values.cols}) but there are ${columns.length} columns`,
    );
  }
  for (let c = 0; c < columns.length; c++) {
    if (!(columns[c] >= 0 && columns[c] < n0 && (c === 0 || columns[c] > columns[c - 1]))) {
      throw new RangeError(
        `Cannot forward: expected the columns to increase strictly from 0 to ${n0 - 1} but found ${
          columns[c]
        } at index ${c}`,
      );
    }
  }
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
