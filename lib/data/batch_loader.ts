/**
 * Mini-batches drawn from a data set, reshuffled with a seeded generator every epoch.
 *
 * @module
 */

import type { LabelledImages } from "./labelled_images.ts";
import { type Random, type RandomSource, toRandom } from "./random.ts";

/** What a {@linkcode BatchLoader} draws from: what it uses of {@linkcode LabelledImages}. */
export type BatchSource =
  & Pick<LabelledImages, "count" | "numInputs" | "gather">
  & Partial<Pick<LabelledImages, "gatherCompact">>;

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
  /** The seed or generator that shuffles; required when shuffling. @default {undefined} */
  random?: RandomSource;
  /** Draw the examples in a new random order every epoch (false: in order 0 … count − 1). @default {true} */
  shuffle?: boolean;
  /** A buffer for the inputs to fill, at least batchSize × numInputs long. @default {a new one} */
  X?: Float32Array;
  /** A buffer for the labels to fill, at least batchSize long. @default {a new one} */
  y?: Int32Array;
  /** Batches hold only columns not zero in every example (see gatherCompact). @default {false} */
  compact?: boolean;
}

/**
 * Draws mini-batches from a data set: each epoch (a `for … of` over the loader, or a call of
 * {@linkcode BatchLoader.epoch}) visits every example once, in an order reshuffled from the
 * loader's generator (same seed, same orders), into one pair of buffers allocated once.
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
  /** The number of examples per batch. */
  readonly batchSize: number;
  /** The generator that shuffles, or undefined without shuffling. */
  readonly random: Random | undefined;
  /** The input buffer: (batchSize, numInputs) float32. */
  readonly X: Float32Array;
  /** The label buffer: (batchSize). */
  readonly y: Int32Array;
  #source: BatchSource;
  #columns: Int32Array | null;

  /**
   * Creates a loader; nothing is drawn until an epoch is iterated.
   *
   * @param source The data set.
   * @param options The batch size, the seed, shuffling, and buffers to reuse.
   */
  constructor(source: BatchSource, options: BatchLoaderOptions = {}) {
    const { batchSize = 50, random, shuffle = true, compact = false } = options;
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
    this.batchSize = batchSize;
    this.random = shuffle && random !== undefined ? toRandom(random) : undefined;
    this.X = X;
    this.y = y;
    this.#source = source;
    this.#columns = compact ? new Int32Array(source.numInputs) : null;
  }

  /** The number of batches in one epoch. */
  get numBatches(): number {
    return Math.ceil(this.#source.count / this.batchSize);
  }

  /** Starts an epoch: yields its batches, in an order drawn (when shuffling) with the first. */
  *epoch(): Generator<Batch, void, undefined> {
    const { batchSize, X, y } = this, columns = this.#columns, source = this.#source;
    const order = this.random?.permutation(source.count) ??
      Uint32Array.from({ length: source.count }, (_, i) => i);
    for (let start = 0; start < order.length; start += batchSize) {
      const size = Math.min(batchSize, order.length - start);
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
