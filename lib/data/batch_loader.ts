/**
 * Mini-batches drawn from a data set, reshuffled with a seeded generator every epoch, written
 * into buffers that are reused from batch to batch.
 *
 * @module
 */

import { type Random, type RandomSource, toRandom } from "./random.ts";

/** What a {@linkcode BatchLoader} draws from, e.g. {@linkcode LabelledImages}. */
export interface BatchSource {
  /** The number of examples. */
  readonly count: number;
  /** The number of float32 inputs of one example. */
  readonly numInputs: number;
  /**
   * Writes the examples at `indices` into `X`, (indices.length, numInputs) row-major, and their
   * labels into `y`, (indices.length).
   */
  gather(indices: ArrayLike<number>, X: Float32Array, y: Int32Array): void;
  /**
   * Writes only the input columns not zero in every example at `indices`: their indices into
   * `columns` and the values at them into `X`, (indices.length, k) row-major; returns k. For a
   * loader with `compact` (see LabelledImages.gatherCompact).
   */
  gatherCompact?(
    indices: ArrayLike<number>,
    X: Float32Array,
    y: Int32Array,
    columns: Int32Array,
  ): number;
}

/** One mini-batch. Its arrays are the loader's buffers: drawing the next batch overwrites them. */
export interface Batch {
  /** The inputs: (size, numInputs) float32, row-major; (size, k) for a compacted batch. */
  readonly X: Float32Array;
  /** A compacted batch's k input columns, those not zero in every example, or null. */
  readonly columns: Int32Array | null;
  /** The labels: (size). */
  readonly y: Int32Array;
  /** The indices of the examples in the data set: (size). */
  readonly indices: Uint32Array;
  /** The number of examples: the batch size, or fewer for the last batch of an epoch. */
  readonly size: number;
}

/** Options of the {@linkcode BatchLoader} constructor. */
export interface BatchLoaderOptions {
  /** The number of examples per batch. @default {50} */
  batchSize?: number;
  /**
   * The seed or generator that shuffles every epoch; required when `shuffle` is true, so that
   * every run is seeded explicitly.
   *
   * @default {undefined}
   */
  random?: RandomSource;
  /** Draw the examples in a new random order every epoch (false: in order 0 … count − 1). @default {true} */
  shuffle?: boolean;
  /** Leave out the last batch of an epoch when it is smaller than batchSize. @default {false} */
  dropLast?: boolean;
  /** A buffer for the inputs to fill, at least batchSize × numInputs long. @default {a new one} */
  X?: Float32Array;
  /** A buffer for the labels to fill, at least batchSize long. @default {a new one} */
  y?: Int32Array;
  /**
   * Batches hold only the input columns that are not zero in every example (the source must
   * have gatherCompact). @default {false}
   */
  compact?: boolean;
}

/**
 * Draws mini-batches from a data set, epoch after epoch. Each epoch (each `for … of` over the
 * loader, or each call of {@linkcode BatchLoader.epoch}) visits every example once, in an order
 * reshuffled from the loader's generator: the same seed gives the same sequence of orders, and
 * every epoch a different one. The batches are written into one pair of buffers, allocated once:
 * nothing is allocated per pixel.
 *
 * @example Two epochs of a seeded loader
 * ```ts
 * import { BatchLoader } from "./batch_loader.ts";
 * import { LabelledImages } from "./labelled_images.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const set = new LabelledImages(new Uint8Array(5 * 4), new Uint8Array(5), { rows: 2, cols: 2 });
 * const loader = new BatchLoader(set, { batchSize: 2, random: 1 });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   const seen: number[] = [];
 *   for (const { X, indices, size } of loader) {
 *     assertEquals(X.length, size * 4);
 *     seen.push(...indices);
 *   }
 *   assertEquals(seen.sort(), [0, 1, 2, 3, 4]);
 * }
 * assertEquals(loader.numBatches, 3);
 * ```
 */
export class BatchLoader {
  /** The data set drawn from. */
  readonly source: BatchSource;
  /** The number of examples per batch. */
  readonly batchSize: number;
  /** Whether each epoch draws in a new random order. */
  readonly shuffle: boolean;
  /** Whether the last, smaller batch of an epoch is left out. */
  readonly dropLast: boolean;
  /** The generator that shuffles, or undefined without shuffling (shuffle false). */
  readonly random: Random | undefined;
  /** The input buffer: (batchSize, numInputs) float32. */
  readonly X: Float32Array;
  /** The label buffer: (batchSize). */
  readonly y: Int32Array;
  /** The column buffer of compacted batches: (numInputs), or null. */
  readonly columns: Int32Array | null;
  #order: Uint32Array;
  #epochs = 0;

  /**
   * Creates a loader; nothing is drawn until an epoch is iterated.
   *
   * @param source The data set.
   * @param options The batch size, the seed, shuffling, the last batch, and buffers to reuse.
   */
  constructor(source: BatchSource, options: BatchLoaderOptions = {}) {
    const { batchSize = 50, random, shuffle = true, dropLast = false, compact = false } = options;
    if (compact && source.gatherCompact === undefined) {
      throw new TypeError("Expected a source with gatherCompact for a compact BatchLoader");
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`Expected batchSize to be a positive integer but found ${batchSize}`);
    }
    if (shuffle && random === undefined) {
      throw new TypeError(
        "Expected options.random (a seed or a Random) for a shuffling BatchLoader but found " +
          "undefined: pass a seed, or shuffle: false",
      );
    }
    const { X = new Float32Array(batchSize * source.numInputs), y = new Int32Array(batchSize) } =
      options;
    if (X.length < batchSize * source.numInputs || y.length < batchSize) {
      throw new RangeError(
        `Expected buffers X of at least ${batchSize} × ${source.numInputs} values and y of ` +
          `${batchSize} but found ${X.length} and ${y.length}`,
      );
    }
    this.source = source;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.random = shuffle && random !== undefined ? toRandom(random) : undefined;
    this.X = X;
    this.y = y;
    this.columns = compact ? new Int32Array(source.numInputs) : null;
    this.#order = new Uint32Array(source.count);
    for (let i = 0; i < source.count; i++) this.#order[i] = i;
  }

  /** The number of batches in one epoch. */
  get numBatches(): number {
    const n = this.source.count / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The number of epochs started so far. */
  get epochs(): number {
    return this.#epochs;
  }

  /**
   * Starts an epoch: reshuffles (when shuffling) and yields its batches. The order is drawn when
   * the first batch is, and depends only on the generator's state, not on earlier epochs' orders.
   */
  *epoch(): Generator<Batch, void, undefined> {
    const order = this.#order;
    this.#epochs++;
    if (this.random !== undefined) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      this.random.shuffle(order);
    }
    const { batchSize, X, y, columns, source } = this;
    const end = this.dropLast ? order.length - order.length % batchSize : order.length;
    for (let start = 0; start < end; start += batchSize) {
      const size = Math.min(batchSize, end - start);
      const indices = order.subarray(start, start + size);
      if (columns === null) source.gather(indices, X, y);
      const k = columns === null ? source.numInputs : source.gatherCompact!(indices, X, y, columns);
      yield {
        X: X.length === size * k ? X : X.subarray(0, size * k),
        y: y.length === size ? y : y.subarray(0, size),
        columns: columns === null ? null : columns.subarray(0, k),
        indices,
        size,
      };
    }
  }

  /** Iterating the loader runs one epoch: see {@linkcode BatchLoader.epoch}. */
  [Symbol.iterator](): Generator<Batch, void, undefined> {
    return this.epoch();
  }
}
