import { assertEquals, assertThrows } from "@std/assert";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { parseIdx, readIdx } from "../../lib/data/idx.ts";
import { idxBytes, TempDir } from "./_idx_fixture.ts";

const IMAGES = idxBytes([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);

Deno.test("parseIdx() decodes the dimensions and the values", () => {
  const idx = parseIdx(IMAGES, { numDims: 3, source: "images" });
  assertEquals(idx.source, "images");
  assertEquals(idx.dims, [3, 2, 2]);
  assertEquals([...idx.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
});

Deno.test("parseIdx() accepts any number of dimensions when numDims is not given", () => {
  assertEquals(parseIdx(idxBytes([2, 3], [1, 2, 3, 4, 5, 6])).dims, [2, 3]);
  assertEquals(parseIdx(idxBytes([0], [])).dims, [0]);
});

Deno.test("readIdx() reads a raw file", () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", IMAGES);
  const idx = readIdx(path, { numDims: 3 });
  assertEquals(idx.source, path);
  assertEquals(idx.dims, [3, 2, 2]);
  assertEquals(idx.data[11], 255);
});

Deno.test("readIdx() reads a gzipped file, named .gz or not", () => {
  using tmp = new TempDir();
  for (const name of ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"]) {
    const idx = readIdx(tmp.file(name, gzipSync(IMAGES)), { numDims: 3 });
    assertEquals(idx.dims, [3, 2, 2]);
    assertEquals([...idx.data], [...IMAGES.subarray(16)]);
  }
});

Deno.test("readIdx() throws for a truncated file, naming it, the expected and the found size", () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", IMAGES.subarray(0, IMAGES.length - 1));
  assertThrows(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected 28 bytes (a header of 16 and 3 × 2 × 2 values) but ` +
      "found 27 bytes (truncated)",
  );
});

Deno.test("readIdx() throws for a file that ends inside its header", () => {
  using tmp = new TempDir();
  const path = tmp.file("t10k-images-idx3-ubyte", IMAGES.subarray(0, 10));
  assertThrows(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected a header of 16 bytes for 3 dimensions but found a file ` +
      "of 10 bytes (truncated)",
  );
  const tiny = tmp.file("t10k-labels-idx1-ubyte", new Uint8Array([0, 0]));
  assertThrows(
    () => readIdx(tiny, { numDims: 1 }),
    Error,
    `Invalid IDX file ${tiny}: expected at least 4 bytes, the magic number 0x00000801 ` +
      "(unsigned bytes, 1 dimension), but found 2 bytes",
  );
});

Deno.test("readIdx() throws for a file longer than its header announces", () => {
  using tmp = new TempDir();
  const path = tmp.file("labels", idxBytes([2], [1, 2, 3]));
  assertThrows(
    () => readIdx(path, { numDims: 1 }),
    Error,
    `Invalid IDX file ${path}: expected 10 bytes (a header of 8 and 2 values) but found 11 bytes`,
  );
});

Deno.test("readIdx() throws for a wrong magic number", () => {
  using tmp = new TempDir();
  const path = tmp.file("images", idxBytes([3, 2, 2], IMAGES.subarray(16), { magic: 0x504b0304 }));
  assertThrows(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected the magic number 0x00000803 (unsigned bytes, 3 ` +
      "dimensions) but found 0x504b0304",
  );
  // 0x0D is IDX's float type: not unsigned bytes
  const floats = tmp.file("floats", idxBytes([1], [0, 0, 0, 0], { magic: 0x00000d01 }));
  assertThrows(
    () => readIdx(floats),
    Error,
    `Invalid IDX file ${floats}: expected the magic number 0x000008NN (unsigned bytes, NN ` +
      "dimensions) but found 0x00000d01",
  );
});

Deno.test("readIdx() throws for a wrong number of dimensions", () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", idxBytes([3, 4], IMAGES.subarray(16)));
  assertThrows(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected 3 dimensions (magic number 0x00000803) but found 2 ` +
      "(magic number 0x00000802)",
  );
});

Deno.test("readIdx() throws for a .gz file that is not gzip", () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte.gz", IMAGES);
  assertThrows(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found 00 00`,
  );
  const empty = tmp.file("empty.gz", new Uint8Array(0));
  assertThrows(
    () => readIdx(empty),
    Error,
    "expected the gzip magic bytes 1f 8b but found an empty",
  );
});

Deno.test("readIdx() throws for corrupt or truncated gzip", () => {
  using tmp = new TempDir();
  const gz = gzipSync(IMAGES);
  const corrupt = gz.slice();
  corrupt.fill(0xff, 10);
  for (const bytes of [corrupt, gz.subarray(0, gz.length - 12)]) {
    const path = tmp.file("train-images-idx3-ubyte.gz", bytes);
    assertThrows(
      () => readIdx(path, { numDims: 3 }),
      Error,
      `Invalid gzip file ${path}: expected gzip-compressed data but it does not decompress (`,
    );
  }
});

Deno.test("readIdx() throws for a missing file, naming it", () => {
  using tmp = new TempDir();
  const path = join(tmp.path, "nothing-here-idx1-ubyte");
  assertThrows(
    () => readIdx(path),
    Error,
    `Cannot read IDX file ${path}: expected a file but found none`,
  );
});
