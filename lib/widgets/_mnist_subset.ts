/**
 * The MNIST subset the MNIST widget ships (mnist-subset.bin.gz, written by
 * scripts/export_mnist_subset.ts): the first training and validation images of the course's
 * split, as bytes. Layout, big-endian: the magic "MNS1", then the training count, the validation
 * count, rows and cols (uint32 each); then the training labels and images, then the validation
 * labels and images (one byte each). Gzipped as a whole (the browser inflates it with
 * DecompressionStream).
 *
 * @module
 */

import { LabelledImages } from "../browser.ts";

/** "MNS1", the subset's first four bytes. */
const MAGIC = 0x4d4e5331;
const HEADER_BYTES = 20;

/** The subset: its training and validation images. */
export interface MnistSubset {
  train: LabelledImages;
  validation: LabelledImages;
}

/**
 * The subset's bytes (before gzip): both sets' labels and images behind the header.
 *
 * @param subset The training and validation images, of one image size.
 * @returns The bytes.
 */
export function encodeMnistSubset(subset: MnistSubset): Uint8Array<ArrayBuffer> {
  const { train, validation } = subset;
  const sets = [train, validation];
  const bytes = new Uint8Array(
    HEADER_BYTES + sets.reduce((n, s) => n + s.labels.length + s.images.length, 0),
  );
  const view = new DataView(bytes.buffer);
  [MAGIC, train.count, validation.count, train.rows, train.cols]
    .forEach((value, i) => view.setUint32(4 * i, value));
  let at = HEADER_BYTES;
  for (const set of sets) {
    bytes.set(set.labels, at);
    bytes.set(set.images, at += set.labels.length);
    at += set.images.length;
  }
  return bytes;
}

/**
 * Reads the subset's bytes (inflated), checking the magic and that the length is the one its
 * counts announce; an Error names the source, what was expected and what was found.
 *
 * @param bytes The bytes.
 * @param source Where they came from (for errors).
 * @returns The training ("train") and validation ("validation") images, views into `bytes`.
 */
export function decodeMnistSubset(bytes: Uint8Array, source: string): MnistSubset {
  const fail = (expected: string, found: string) =>
    new Error(`Invalid MNIST subset ${source}: expected ${expected} but found ${found}`);
  if (bytes.length < HEADER_BYTES) throw fail(`at least ${HEADER_BYTES} bytes`, `${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, numTrain, numValidation, rows, cols] = [0, 1, 2, 3, 4]
    .map((i) => view.getUint32(4 * i));
  if (magic !== MAGIC) throw fail("the magic number 0x4d4e5331 (MNS1)", `0x${magic.toString(16)}`);
  const size = rows * cols, length = HEADER_BYTES + (numTrain + numValidation) * (1 + size);
  if (bytes.length !== length) {
    throw fail(
      `${length} bytes for ${numTrain} + ${numValidation} images of ${rows} × ${cols}`,
      `${bytes.length}`,
    );
  }
  let at = HEADER_BYTES;
  const take = (count: number, name: string) => {
    const labels = bytes.subarray(at, at += count), images = bytes.subarray(at, at += count * size);
    return new LabelledImages(images, labels, { name, rows, cols });
  };
  return { train: take(numTrain, "train"), validation: take(numValidation, "validation") };
}
