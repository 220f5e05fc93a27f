import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { LabelledImages } from "../../lib/data/labelled_images.ts";
import { Random } from "../../lib/data/random.ts";
import { labels, pixels } from "./_idx_fixture.ts";

const SET = new LabelledImages(pixels(6, 4), labels(6), { name: "tiny", rows: 2, cols: 2 });

Deno.test("LabelledImages.gather() writes pixel / 255 as float32 and the labels", () => {
  const X = new Float32Array(8);
  const y = new Int32Array(2);
  SET.gather([5, 1], X, y);
  assertEquals([...X], [50, 51, 52, 53, 10, 11, 12, 13].map((v) => Math.fround(v / 255)));
  assertEquals([...y], [5, 1]);
});

Deno.test("LabelledImages.gather() maps 0 to 0 and 255 to 1 exactly", () => {
  const set = new LabelledImages(new Uint8Array([0, 255, 128]), new Uint8Array([9]), {
    rows: 1,
    cols: 3,
  });
  const X = new Float32Array(3);
  set.gather([0], X, new Int32Array(1));
  assertEquals([...X], [0, 1, Math.fround(128 / 255)]);
});

Deno.test("LabelledImages.gather() throws for an index out of range or a small buffer", () => {
  assertThrows(
    () => SET.gather([6], new Float32Array(4), new Int32Array(1)),
    RangeError,
    "Expected an index from 0 to 5 in tiny but found 6",
  );
  assertThrows(
    () => SET.gather([0, 1], new Float32Array(4), new Int32Array(2)),
    RangeError,
    "Expected X to hold at least 2 × 4 values and y 2 but found 4 and 2",
  );
});

Deno.test("new LabelledImages() throws when the images do not match the labels", () => {
  assertThrows(
    () => new LabelledImages(new Uint8Array(10), new Uint8Array(3), { rows: 2, cols: 2 }),
    RangeError,
    "Expected 3 images of 2 × 2 bytes (12 bytes) for 3 labels in images but found 10 bytes",
  );
});

Deno.test("LabelledImages.image(), head() and slice() give views without copying", () => {
  assertEquals([...SET.image(2)], [20, 21, 22, 23]);
  assertStrictEquals(SET.image(2).buffer, SET.images.buffer);
  const head = SET.head(2, "head");
  assertEquals([head.name, head.count, [...head.labels]], ["head", 2, [0, 1]]);
  assertEquals(SET.head(100).count, 6);
  const tail = SET.slice(4, { name: "tail" });
  assertEquals([tail.name, tail.count, [...tail.labels]], ["tail", 2, [4, 5]]);
  assertEquals([...tail.image(0)], [40, 41, 42, 43]);
  assertStrictEquals(tail.images.buffer, SET.images.buffer);
  assertEquals(SET.slice(1, { end: 3 }).count, 2);
  assertThrows(() => SET.slice(4, { end: 3 }), RangeError, "Expected 0 ≤ start ≤ end ≤ 6");
  assertThrows(() => SET.image(-1), RangeError, "Expected an index from 0 to 5 in tiny");
});

Deno.test("LabelledImages.gather() converts every byte value exactly as float32(b / 255)", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, b) => b);
  const set = new LabelledImages(bytes, new Uint8Array(1), { rows: 16, cols: 16 });
  const X = new Float32Array(256);
  set.gather([0], X, new Int32Array(1));
  for (let b = 0; b < 256; b++) assertEquals(X[b], Math.fround(b / 255));
});

/** The batch at `indices` built by gather, then compacted to its columns not all zero. */
function compactedByHand(set: LabelledImages, indices: number[]) {
  const n = set.numInputs, X = new Float32Array(indices.length * n);
  set.gather(indices, X, new Int32Array(indices.length));
  const columns = [...Array(n).keys()].filter((j) => indices.some((_, b) => X[b * n + j] !== 0));
  const values = indices.flatMap((_, b) => columns.map((j) => X[b * n + j]));
  return { columns, values };
}

Deno.test("LabelledImages.gatherCompact() gives the gathered batch's columns not all zero, and its values there", () => {
  const random = new Random(3);
  // 28 × 28 (read four bytes at a time) and 5 × 7 (byte by byte), pixels mostly 0
  for (const [rows, cols] of [[28, 28], [5, 7]]) {
    const count = 40, n = rows * cols;
    const bytes = new Uint8Array(count * n).map(() =>
      random.uniform() < 0.7 ? 0 : 1 + Math.floor(255 * random.uniform())
    );
    const set = new LabelledImages(bytes, labels(count), { rows, cols });
    for (const indices of [[3], [0, 39, 7, 7, 12], [...Array(count).keys()]]) {
      const X = new Float32Array(indices.length * n), y = new Int32Array(indices.length);
      const columns = new Int32Array(n);
      const k = set.gatherCompact(indices, X, y, columns);
      const expected = compactedByHand(set, indices);
      assertEquals([...columns.subarray(0, k)], expected.columns, `${rows}×${cols} ${indices}`);
      assertEquals([...X.subarray(0, indices.length * k)], expected.values);
      assertEquals([...y], indices.map((i) => set.labels[i]));
    }
  }
});

Deno.test("LabelledImages.gatherCompact() throws for an index out of range or a small buffer", () => {
  const [X, y, columns] = [new Float32Array(8), new Int32Array(2), new Int32Array(4)];
  assertThrows(
    () => SET.gatherCompact([0, 6], X, y, columns),
    RangeError,
    "Expected an index from 0 to 5 in tiny but found 6",
  );
  assertThrows(
    () => SET.gatherCompact([0, 1], X, y, new Int32Array(3)),
    RangeError,
    "Expected X to hold at least 2 × 4 values, y 2 and columns 4 but found 8, 2 and 3",
  );
});
