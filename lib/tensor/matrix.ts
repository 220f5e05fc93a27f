/**
 * The matrix the backends and the network work on: float32, row-major, two dimensions.
 *
 * @module
 */

/**
 * The data each view from {@linkcode Matrix.sliceRows} was cut from, held as long as the view is
 * (so a wasm block freed when its data is collected stays in use while a view of it lives).
 */
const PARENT_DATA = new WeakMap<Float32Array, Float32Array>();

/**
 * A float32 matrix stored row by row: element (i, j) of an (rows, cols) matrix is
 * `data[i * cols + j]`. The data may be a view into a larger buffer (a batch inside a data set).
 *
 * @example Build, read and view
 * ```ts
 * import { Matrix } from "./matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const a = Matrix.from([[1, 2, 3], [4, 5, 6]]);
 * assertEquals(a.shape, [2, 3]);
 * assertEquals(a.get(1, 2), 6);
 * assertEquals(a.sliceRows(1, 2).toArray(), [[4, 5, 6]]);
 * ```
 */
export class Matrix {
  /** The elements, row by row: `rows * cols` of them. */
  readonly data: Float32Array;

  /**
   * Wraps existing data (no copy), or allocates zeros when no data is given.
   *
   * @param rows The number of rows, a non-negative integer.
   * @param cols The number of columns, a non-negative integer.
   * @param data The elements row by row, exactly `rows * cols` of them; kept, not copied.
   */
  constructor(readonly rows: number, readonly cols: number, data?: Float32Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(
        `Expected a matrix shape of non-negative integers but found (${rows}, ${cols})`,
      );
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new RangeError(
        `Expected ${rows * cols} elements for a (${rows}, ${cols}) matrix but found ${data.length}`,
      );
    }
    this.data = data ?? new Float32Array(rows * cols);
  }

  /**
   * A matrix from nested arrays, one inner array per row.
   *
   * @param rows The rows, all of the same length.
   * @returns A new matrix (values rounded to float32).
   *
   * @example
   * ```ts
   * import { Matrix } from "./matrix.ts";
   * import { assertEquals } from "@std/assert";
   *
   * assertEquals(Matrix.from([[1, 2], [3, 4]]).data, Float32Array.of(1, 2, 3, 4));
   * ```
   */
  static from(rows: readonly (readonly number[])[]): Matrix {
    const cols = rows.length === 0 ? 0 : rows[0].length;
    const m = new Matrix(rows.length, cols);
    rows.forEach((row, i) => {
      if (row.length !== cols) {
        throw new RangeError(
          `Expected every row to have ${cols} elements but found ${row.length} in row ${i}`,
        );
      }
      m.data.set(row, i * cols);
    });
    return m;
  }

  /** The shape as [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** The number of elements, rows · cols. */
  get size(): number {
    return this.data.length;
  }

  /**
   * Element (i, j).
   *
   * @param i The row index.
   * @param j The column index.
   * @returns The element.
   */
  get(i: number, j: number): number {
    return this.data[this.#offset(i, j)];
  }

  /**
   * Sets element (i, j).
   *
   * @param i The row index.
   * @param j The column index.
   * @param value The new value (rounded to float32).
   */
  set(i: number, j: number, value: number): void {
    this.data[this.#offset(i, j)] = value;
  }

  #offset(i: number, j: number): number {
    if (!isIndex(i, this.rows) || !isIndex(j, this.cols)) {
      throw new RangeError(
        `Expected an index inside the (${this.rows}, ${this.cols}) matrix but found (${i}, ${j})`,
      );
    }
    return i * this.cols + j;
  }

  /**
   * Rows start to end − 1 as a matrix sharing this one's data (no copy): writes show through.
   *
   * @param start The first row.
   * @param end One past the last row.
   * @returns A (end − start, cols) view.
   *
   * @example
   * ```ts
   * import { Matrix } from "./matrix.ts";
   * import { assertEquals } from "@std/assert";
   *
   * const data = Matrix.from([[1], [2], [3], [4]]);
   * const batch = data.sliceRows(2, 4);
   * batch.set(0, 0, 30);
   * assertEquals(data.toArray(), [[1], [2], [30], [4]]);
   * ```
   */
  sliceRows(start: number, end: number): Matrix {
    if (!isIndex(start, this.rows + 1) || !isIndex(end, this.rows + 1) || end < start) {
      throw new RangeError(
        `Expected 0 ≤ start ≤ end ≤ ${this.rows} but found start ${start} and end ${end}`,
      );
    }
    const view = this.data.subarray(start * this.cols, end * this.cols);
    PARENT_DATA.set(view, this.data);
    return new Matrix(end - start, this.cols, view);
  }

  /**
   * A copy with its own data.
   *
   * @returns A new matrix equal to this one.
   */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /**
   * The elements as nested arrays, one per row.
   *
   * @returns A new array of rows.
   */
  toArray(): number[][] {
    // Array.from, not a spread: V8 then keeps each row's numbers unboxed, and the scalar network
    // built from these rows steps 3.5 times faster (notebook 04's timing table)
    const n = this.cols;
    return Array.from(
      { length: this.rows },
      (_, i) => Array.from(this.data.subarray(i * n, i * n + n)),
    );
  }
}

/** Whether i is an integer from 0 to n − 1. */
function isIndex(i: number, n: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < n;
}
