/**
 * Labelled images kept as bytes, converted to float32 in [0, 1] one batch at a time.
 *
 * @module
 */

/** Each byte's pixel value, float32(b / 255): a table lookup is cheaper than a multiply here. */
const PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Options of the {@linkcode LabelledImages} constructor. */
export interface LabelledImagesOptions {
  /** The name of the set (e.g. "train", "validation", "test"). @default {"images"} */
  name?: string;
  /** The rows of one image. @default {28} */
  rows?: number;
  /** The columns of one image. @default {28} */
  cols?: number;
  /** The number of classes: every label is below it. @default {10} */
  numClasses?: number;
}

/**
 * Images of unsigned bytes (0–255) with a class label each, e.g. one split of MNIST: `images` is
 * (count, rows × cols) bytes, row-major, `labels` is (count). The pixels stay bytes in memory
 * (47 MB for 60,000 MNIST images); {@linkcode LabelledImages.gather} writes a batch of them as
 * float32 pixel / 255 into a buffer the caller reuses.
 *
 * @example A batch of two 1×2 images
 * ```ts
 * import { LabelledImages } from "./labelled_images.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const set = new LabelledImages(
 *   new Uint8Array([0, 255, 51, 102, 255, 0]),
 *   new Uint8Array([3, 1, 4]),
 *   { rows: 1, cols: 2 },
 * );
 * const X = new Float32Array(2 * set.numInputs);
 * const y = new Int32Array(2);
 * set.gather([2, 0], X, y);
 * assertEquals([...X], [1, 0, 0, 1]);
 * assertEquals([...y], [4, 3]);
 * ```
 */
export class LabelledImages {
  /** The name of the set, e.g. "train", "validation" or "test". */
  readonly name: string;
  /** The pixels, one image after the other: (count, numInputs) bytes, row-major. */
  readonly images: Uint8Array;
  /** The class of each image, from 0 to numClasses − 1: (count). */
  readonly labels: Uint8Array;
  /** The number of images. */
  readonly count: number;
  /** The rows of one image. */
  readonly rows: number;
  /** The columns of one image. */
  readonly cols: number;
  /** The pixels of one image, rows × cols: a network's number of inputs. */
  readonly numInputs: number;
  /** The number of classes. */
  readonly numClasses: number;

  /**
   * Wraps images and labels (no copy).
   *
   * @param images The pixels: (count, rows × cols) bytes.
   * @param labels The labels: (count), each below `numClasses`.
   * @param options The name, image size and number of classes.
   */
  constructor(images: Uint8Array, labels: Uint8Array, options: LabelledImagesOptions = {}) {
    const { name = "images", rows = 28, cols = 28, numClasses = 10 } = options;
    this.name = name;
    this.images = images;
    this.labels = labels;
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.numInputs = rows * cols;
    this.numClasses = numClasses;
    if (images.length !== this.count * this.numInputs) {
      throw new RangeError(
        `Expected ${this.count} images of ${rows} × ${cols} bytes (${this.count * this.numInputs}` +
          ` bytes) for ${this.count} labels in ${name} but found ${images.length} bytes`,
      );
    }
  }

  /**
   * Writes the images at `indices` into `X`, (indices.length, numInputs) row-major, as float32
   * pixel / 255, and their labels into `y`, (indices.length); longer buffers are filled from the
   * start. Nothing is allocated: call it with the same buffers for every batch.
   *
   * @param indices The images to take, each from 0 to count − 1.
   * @param X The buffer for the pixels, at least indices.length × numInputs long.
   * @param y The buffer for the labels, at least indices.length long.
   */
  gather(indices: ArrayLike<number>, X: Float32Array, y: Int32Array): void {
    const n = this.numInputs, batchSize = indices.length;
    if (X.length < batchSize * n || y.length < batchSize) {
      throw new RangeError(
        `Expected X to hold at least ${batchSize} × ${n} values and y ${batchSize} but found ` +
          `${X.length} and ${y.length}`,
      );
    }
    const { images, labels } = this;
    for (let b = 0; b < batchSize; b++) {
      const i = this.#checkIndex(indices[b]);
      const src = i * n, dst = b * n;
      for (let k = 0; k < n; k++) X[dst + k] = PIXEL_VALUES[images[src + k]];
      y[b] = labels[i];
    }
  }

  /**
   * Like {@linkcode LabelledImages.gather}, but writes only the pixel columns not zero in every
   * image of the batch: their indices into `columns`, increasing, and the batch's values at them
   * into `X`, (indices.length, k) row-major. For a first layer that skips all-zero inputs (about
   * 39% of MNIST's pixels in a batch of 50).
   *
   * @param indices The images to take, each from 0 to count − 1.
   * @param X The buffer for the pixels, at least indices.length × numInputs long.
   * @param y The buffer for the labels, at least indices.length long.
   * @param columns The buffer for the column indices, at least numInputs long.
   * @returns k, the number of columns written.
   *
   * @example Two 1×3 images whose middle pixel is 0 in both
   * ```ts
   * import { LabelledImages } from "./labelled_images.ts";
   * import { assertEquals } from "@std/assert";
   *
   * const images = new Uint8Array([255, 0, 0, 0, 0, 51]);
   * const set = new LabelledImages(images, new Uint8Array([1, 2]), { rows: 1, cols: 3 });
   * const X = new Float32Array(6), y = new Int32Array(2), columns = new Int32Array(3);
   * assertEquals(set.gatherCompact([0, 1], X, y, columns), 2);
   * assertEquals([...columns.subarray(0, 2)], [0, 2]);
   * assertEquals([...X.subarray(0, 4)], [1, 0, 0, 0.20000000298023224]);
   * ```
   */
  gatherCompact(
    indices: ArrayLike<number>,
    X: Float32Array,
    y: Int32Array,
    columns: Int32Array,
  ): number {
    const n = this.numInputs, batchSize = indices.length, images = this.images;
    if (X.length < batchSize * n || y.length < batchSize || columns.length < n) {
      throw new RangeError(
        `Expected X to hold at least ${batchSize} × ${n} values, y ${batchSize} and columns ${n} ` +
          `but found ${X.length}, ${y.length} and ${columns.length}`,
      );
    }
    // which columns are lit: the bytes of every image ORed together, four at a time
    const lit = new Uint8Array(n + 3 & ~3), words = new Int32Array(lit.buffer);
    const imageWords = n % 4 === 0 && images.byteOffset % 4 === 0
      ? new Int32Array(images.buffer, images.byteOffset, images.length / 4)
      : null;
    for (let b = 0; b < batchSize; b++) {
      const i = this.#checkIndex(indices[b]);
      if (imageWords !== null) {
        const src = i * (n / 4);
        for (let w = 0; w < n / 4; w++) words[w] |= imageWords[src + w];
      } else {
        for (let j = 0; j < n; j++) lit[j] |= images[i * n + j];
      }
      y[b] = this.labels[i];
    }
    let k = 0;
    for (let j = 0; j < n; j++) if (lit[j] !== 0) columns[k++] = j;
    for (let b = 0; b < batchSize; b++) {
      const src = indices[b] * n, dst = b * k;
      for (let c = 0; c < k; c++) X[dst + c] = PIXEL_VALUES[images[src + columns[c]]];
    }
    return k;
  }

  /**
   * The pixels of one image as bytes (a view, no copy): rows × cols, row-major.
   *
   * @param index The image, from 0 to count − 1.
   */
  image(index: number): Uint8Array {
    this.#checkIndex(index);
    return this.images.subarray(index * this.numInputs, (index + 1) * this.numInputs);
  }

  /**
   * The first `count` images (views, no copy), e.g. to shrink a set in quick mode.
   *
   * @param count How many images to keep; more than there are keeps them all.
   * @param name The name of the smaller set. @default {this.name}
   */
  head(count: number, name: string = this.name): LabelledImages {
    if (!(count >= 0)) {
      throw new RangeError(`Expected a count of at least 0 but found ${count}`);
    }
    return this.slice(0, { end: Math.min(Math.floor(count), this.count), name });
  }

  /**
   * The images from `start` to `end` − 1 (views, no copy), e.g. a validation split.
   *
   * @param start The first image.
   * @param options The end (exclusive) and the name of the smaller set.
   */
  slice(start: number, options: LabelledImagesSliceOptions = {}): LabelledImages {
    const { end = this.count, name = this.name } = options;
    const inRange = 0 <= start && start <= end && end <= this.count;
    if (!(Number.isInteger(start) && Number.isInteger(end) && inRange)) {
      throw new RangeError(
        `Expected 0 ≤ start ≤ end ≤ ${this.count} in ${this.name} but found start ${start} and ` +
          `end ${end}`,
      );
    }
    const { numInputs: n, rows, cols, numClasses } = this;
    const images = this.images.subarray(start * n, end * n);
    const shape = { name, rows, cols, numClasses };
    return new LabelledImages(images, this.labels.subarray(start, end), shape);
  }

  /** The index, checked to be an image's: an integer from 0 to count − 1. */
  #checkIndex(i: number): number {
    if (!(i >= 0 && i < this.count && Number.isInteger(i))) {
      throw new RangeError(
        `Expected an index from 0 to ${this.count - 1} in ${this.name} but found ${i}`,
      );
    }
    return i;
  }
}

/** Options of {@linkcode LabelledImages.slice}. */
export interface LabelledImagesSliceOptions {
  /** One past the last image. @default {count} */
  end?: number;
  /** The name of the smaller set. @default {the set's own name} */
  name?: string;
}
