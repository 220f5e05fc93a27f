import { assert, assertEquals, assertRejects } from "@std/assert";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { readIdx } from "../../lib/data/idx.ts";
import { idxBytes, TempDir } from "./_idx_fixture.ts";

const IMAGES = idxBytes([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);

Deno.test("readIdx() reads a raw file: the dimensions and the values", async () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", IMAGES);
  const idx = await readIdx(path, { numDims: 3 });
  assertEquals(idx.dims, [3, 2, 2]);
  assertEquals([...idx.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
});

Deno.test("readIdx() accepts any number of dimensions when numDims is not given", async () => {
  using tmp = new TempDir();
  assertEquals((await readIdx(tmp.file("a", idxBytes([2, 3], [1, 2, 3, 4, 5, 6])))).dims, [2, 3]);
  assertEquals((await readIdx(tmp.file("b", idxBytes([0], [])))).dims, [0]);
});

Deno.test("readIdx() reads a gzipped file, named .gz or not", async () => {
  using tmp = new TempDir();
  for (const name of ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"]) {
    const idx = await readIdx(tmp.file(name, gzipSync(IMAGES)), { numDims: 3 });
    assertEquals(idx.dims, [3, 2, 2]);
    assertEquals([...idx.data], [...IMAGES.subarray(16)]);
  }
});

Deno.test("readIdx() throws for a truncated file, naming it, the expected and the found size", async () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", IMAGES.subarray(0, IMAGES.length - 1));
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected 28 bytes (a header of 16 and 3 × 2 × 2 values) but ` +
      "found 27 bytes (truncated)",
  );
});

Deno.test("readIdx() throws for a file that ends inside its header", async () => {
  using tmp = new TempDir();
  const path = tmp.file("t10k-images-idx3-ubyte", IMAGES.subarray(0, 10));
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected a header of 16 bytes for 3 dimensions but found a file ` +
      "of 10 bytes (truncated)",
  );
  const tiny = tmp.file("t10k-labels-idx1-ubyte", new Uint8Array([0, 0]));
  await assertRejects(
    () => readIdx(tiny, { numDims: 1 }),
    Error,
    `Invalid IDX file ${tiny}: expected at least 4 bytes, the magic number 0x00000801 ` +
      "(unsigned bytes, 1 dimension), but found 2 bytes",
  );
});

Deno.test("readIdx() throws for a file longer than its header announces", async () => {
  using tmp = new TempDir();
  const path = tmp.file("labels", idxBytes([2], [1, 2, 3]));
  await assertRejects(
    () => readIdx(path, { numDims: 1 }),
    Error,
    `Invalid IDX file ${path}: expected 10 bytes (a header of 8 and 2 values) but found 11 bytes`,
  );
});

Deno.test("readIdx() throws for a wrong magic number", async () => {
  using tmp = new TempDir();
  const path = tmp.file("images", idxBytes([3, 2, 2], IMAGES.subarray(16), { magic: 0x504b0304 }));
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected the magic number 0x00000803 (unsigned bytes, 3 ` +
      "dimensions) but found 0x504b0304",
  );
  // 0x0D is IDX's float type: not unsigned bytes
  const floats = tmp.file("floats", idxBytes([1], [0, 0, 0, 0], { magic: 0x00000d01 }));
  await assertRejects(
    () => readIdx(floats),
    Error,
    `Invalid IDX file ${floats}: expected the magic number 0x000008NN (unsigned bytes, NN ` +
      "dimensions) but found 0x00000d01",
  );
});

Deno.test("readIdx() throws for a wrong number of dimensions", async () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte", idxBytes([3, 4], IMAGES.subarray(16)));
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected 3 dimensions (magic number 0x00000803) but found 2 ` +
      "(magic number 0x00000802)",
  );
});

Deno.test("readIdx() throws for a .gz file that is not gzip", async () => {
  using tmp = new TempDir();
  const path = tmp.file("train-images-idx3-ubyte.gz", IMAGES);
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found 00 00`,
  );
  const empty = tmp.file("empty.gz", new Uint8Array(0));
  await assertRejects(
    () => readIdx(empty),
    Error,
    "expected the gzip magic bytes 1f 8b but found an empty",
  );
});

Deno.test("readIdx() throws for corrupt or truncated gzip", async () => {
  using tmp = new TempDir();
  const gz = gzipSync(IMAGES);
  const corrupt = gz.slice();
  corrupt.fill(0xff, 10);
  for (const bytes of [corrupt, gz.subarray(0, gz.length - 12)]) {
    const path = tmp.file("train-images-idx3-ubyte.gz", bytes);
    await assertRejects(
      () => readIdx(path, { numDims: 3 }),
      Error,
      `Invalid gzip file ${path}: expected gzip-compressed data but it does not decompress (`,
    );
  }
});

Deno.test("readIdx() throws for a missing file, naming it", async () => {
  using tmp = new TempDir();
  const path = join(tmp.path, "nothing-here-idx1-ubyte");
  await assertRejects(
    () => readIdx(path),
    Error,
    `Cannot read IDX file ${path}: expected a file but found none`,
  );
});

Deno.test("readIdx() throws for a directory, naming it", async () => {
  using tmp = new TempDir();
  await assertRejects(
    () => readIdx(tmp.path),
    Error,
    `Cannot read IDX file ${tmp.path}: expected a file but found a directory`,
  );
});

Deno.test("readIdx() refuses a header announcing more than 2^31 values, naming its dimensions", async () => {
  using tmp = new TempDir();
  const header = idxBytes([60000, 65536, 65536], []);
  for (const [name, bytes] of [["images", header], ["images.gz", gzipSync(header)]] as const) {
    const path = tmp.file(name, bytes);
    await assertRejects(
      () => readIdx(path, { numDims: 3 }),
      Error,
      `Invalid IDX file ${path}: expected at most 2147483648 values (2 GiB, the most read) but ` +
        "found a header announcing 60000 × 65536 × 65536 values",
    );
  }
  // a product past 2^1024 is still refused, and one with a 0 among such dimensions is empty
  const huge = new Array(40).fill(2 ** 32 - 1);
  await assertRejects(
    () => readIdx(tmp.file("huge", idxBytes(huge, []))),
    Error,
    "expected at most 2147483648 values",
  );
  assertEquals((await readIdx(tmp.file("empty", idxBytes([...huge, 0], [])))).data.length, 0);
});

Deno.test("readIdx() throws for gzip that inflates to fewer or more bytes than announced", async () => {
  using tmp = new TempDir();
  const short = tmp.file("short.gz", gzipSync(IMAGES.subarray(0, 20)));
  await assertRejects(
    () => readIdx(short, { numDims: 3 }),
    Error,
    `Invalid IDX file ${short}: expected 28 bytes (a header of 16 and 3 × 2 × 2 values) but ` +
      "found 20 bytes once inflated (truncated)",
  );
  const long = tmp.file("long.gz", gzipSync(new Uint8Array([...IMAGES, 0])));
  await assertRejects(
    () => readIdx(long, { numDims: 3 }),
    Error,
    `Invalid IDX file ${long}: expected 28 bytes (a header of 16 and 3 × 2 × 2 values) but ` +
      "found 29 bytes or more once inflated, reading stopped",
  );
});

Deno.test("readIdx() stops inflating a gzip bomb once it passes the announced length", async () => {
  using tmp = new TempDir();
  const zeros = 200 * 2 ** 20;
  const bomb = await gzipWithZeros(idxBytes([10, 28, 28], []), zeros);
  const path = tmp.file("train-images-idx3-ubyte.gz", bomb);
  let start = performance.now();
  await assertRejects(
    () => readIdx(path, { numDims: 3 }),
    Error,
    `Invalid IDX file ${path}: expected 7856 bytes (a header of 16 and 10 × 28 × 28 values) but ` +
      "found 7857 bytes or more once inflated, reading stopped",
  );
  const refusedMs = performance.now() - start;
  // for comparison, inflating the whole bomb, 64 KiB of it at a time
  start = performance.now();
  let inflated = 0;
  using file = Deno.openSync(path);
  for await (const chunk of file.readable.pipeThrough(new DecompressionStream("gzip"))) {
    inflated += chunk.length;
  }
  const inflateMs = performance.now() - start;
  assertEquals(inflated, 16 + zeros);
  console.log(
    `gzip bomb of ${bomb.length} bytes inflating to ${inflated}: refused in ` +
      `${refusedMs.toFixed(1)} ms, inflated whole in ${inflateMs.toFixed(1)} ms`,
  );
  assert(refusedMs < 1000, `refused in ${refusedMs} ms`);
  assert(refusedMs < inflateMs / 4, `refused in ${refusedMs} ms, inflated in ${inflateMs} ms`);
});

/** The gzip of `head` then `zeros` zero bytes, compressed as a stream of 1 MiB blocks. */
async function gzipWithZeros(head: Uint8Array, zeros: number): Promise<Uint8Array> {
  const gzip = new CompressionStream("gzip");
  const compressed = new Response(gzip.readable).bytes();
  const writer = gzip.writable.getWriter();
  await writer.write(new Uint8Array(head));
  const block = new Uint8Array(2 ** 20);
  for (let n = 0; n < zeros; n += block.length) {
    await writer.write(block.subarray(0, Math.min(block.length, zeros - n)));
  }
  await writer.close();
  return await compressed;
}
