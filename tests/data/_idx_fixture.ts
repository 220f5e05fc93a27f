/**
 * Builders of small IDX files and MNIST-like directories for the data tests.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import { join } from "node:path";

/** Options of {@linkcode idxBytes}. */
export interface IdxBytesOptions {
  /** The magic number to write. @default {0x00000800 | dims.length} */
  magic?: number;
}

/** The bytes of an IDX file of unsigned bytes: header for `dims`, then `data`. */
export function idxBytes(
  dims: readonly number[],
  data: ArrayLike<number>,
  options: IdxBytesOptions = {},
): Uint8Array {
  const { magic = 0x00000800 | dims.length } = options;
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(Array.from(data), 4 + 4 * dims.length);
  return bytes;
}

/** A temporary directory, removed with everything in it when disposed (`using`). */
export class TempDir {
  /** The directory's path. */
  readonly path: string = Deno.makeTempDirSync({ prefix: "backprop_data_test_" });

  /** Writes a file into the directory and returns its path. */
  file(name: string, bytes: Uint8Array): string {
    const path = join(this.path, name);
    Deno.writeFileSync(path, bytes);
    return path;
  }

  /** Removes the directory. */
  [Symbol.dispose](): void {
    Deno.removeSync(this.path, { recursive: true });
  }
}

/** Options of {@linkcode writeMnistDir}. */
export interface WriteMnistDirOptions {
  /** Training images. @default {12} */
  numTrain?: number;
  /** Test images. @default {4} */
  numTest?: number;
  /** Rows and columns of an image. @default {2} */
  side?: number;
  /** Write the files gzipped, named `.gz`. @default {false} */
  gzip?: boolean;
  /** Name the files `train-images.idx3-ubyte` rather than `train-images-idx3-ubyte`. @default {false} */
  dotted?: boolean;
  /** Replace the bytes of some files (by canonical name, e.g. "train-labels-idx1-ubyte"). */
  replace?: Record<string, Uint8Array>;
  /** Leave out some files (by canonical name). @default {[]} */
  omit?: string[];
}

/**
 * A temporary directory with four MNIST-like files (dispose of it with `using`). Image i of a set has every pixel equal to
 * (i × 10 + k) % 256 for pixel k, and label i % 10.
 */
export function writeMnistDir(options: WriteMnistDirOptions = {}): TempDir {
  const {
    numTrain = 12,
    numTest = 4,
    side = 2,
    gzip = false,
    dotted = false,
    replace = {},
    omit = [],
  } = options;
  const dir = new TempDir();
  const files: Record<string, Uint8Array> = {
    "train-images-idx3-ubyte": idxBytes([numTrain, side, side], pixels(numTrain, side * side)),
    "train-labels-idx1-ubyte": idxBytes([numTrain], labels(numTrain)),
    "t10k-images-idx3-ubyte": idxBytes([numTest, side, side], pixels(numTest, side * side)),
    "t10k-labels-idx1-ubyte": idxBytes([numTest], labels(numTest)),
    ...replace,
  };
  for (const [name, bytes] of Object.entries(files)) {
    if (omit.includes(name)) continue;
    const fileName = (dotted ? name.replace("-idx", ".idx") : name) + (gzip ? ".gz" : "");
    dir.file(fileName, gzip ? gzipSync(bytes) : bytes);
  }
  return dir;
}

/** The pixels writeMnistDir writes: (count, numInputs). */
export function pixels(count: number, numInputs: number): Uint8Array {
  const data = new Uint8Array(count * numInputs);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < numInputs; k++) data[i * numInputs + k] = (i * 10 + k) % 256;
  }
  return data;
}

/** The labels writeMnistDir writes: (count). */
export function labels(count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => i % 10);
}
