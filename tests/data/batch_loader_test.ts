import {
  assert,
  assertEquals,
  assertNotEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { type Batch, BatchLoader } from "../../lib/data/batch_loader.ts";
import { LabelledImages } from "../../lib/data/labelled_images.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { Random } from "../../lib/data/random.ts";
import { labels, pixels } from "./_idx_fixture.ts";

/** count images of 2 × 2 bytes from the fixture: image i starts with pixel (10 i) % 256. */
function smallSet(count: number): LabelledImages {
  return new LabelledImages(pixels(count, 4), labels(count), { rows: 2, cols: 2 });
}

/** The dataset indices of every batch of one epoch, in order. */
function epochOrder(loader: BatchLoader): number[] {
  const order: number[] = [];
  for (const batch of loader) order.push(...batch.indices);
  return order;
}

Deno.test("BatchLoader.epoch() covers every example once per epoch, keeping the last partial batch", () => {
  const loader = new BatchLoader(smallSet(7), { batchSize: 3, random: 1 });
  assertEquals(loader.numBatches, 3);
  for (let epoch = 0; epoch < 3; epoch++) {
    const sizes: number[] = [];
    const seen: number[] = [];
    for (const { X, y, indices, size } of loader) {
      sizes.push(size);
      seen.push(...indices);
      assertEquals([X.length, y.length, indices.length], [size * 4, size, size]);
    }
    assertEquals(sizes, [3, 3, 1]);
    assertEquals(seen.toSorted((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  }
});

Deno.test("BatchLoader.epoch() gives the same orders for the same seed, other orders for another", () => {
  const a = new BatchLoader(smallSet(50), { batchSize: 8, random: 42 });
  const b = new BatchLoader(smallSet(50), { batchSize: 8, random: new Random(42) });
  const c = new BatchLoader(smallSet(50), { batchSize: 8, random: 43 });
  const a1 = epochOrder(a), a2 = epochOrder(a);
  assertEquals([epochOrder(b), epochOrder(b)], [a1, a2]);
  const c1 = epochOrder(c);
  assertNotEquals(c1, a1);
  // a new order every epoch
  assertNotEquals(a2, a1);
  assertEquals(a2.toSorted((x, y) => x - y), a1.toSorted((x, y) => x - y));
});

Deno.test("BatchLoader.epoch() draws in order without shuffling", () => {
  const loader = new BatchLoader(smallSet(5), { batchSize: 2, shuffle: false });
  assertEquals(loader.random, undefined);
  assertEquals(epochOrder(loader), [0, 1, 2, 3, 4]);
  assertEquals(epochOrder(loader), [0, 1, 2, 3, 4]);
  const seeded = new BatchLoader(smallSet(5), { batchSize: 2, shuffle: false, random: 3 });
  assertEquals(seeded.random, undefined);
  assertEquals(epochOrder(seeded), [0, 1, 2, 3, 4]);
  const [first] = loader;
  assertEquals([...first.X], [0, 1, 2, 3, 10, 11, 12, 13].map((v) => Math.fround(v / 255)));
  assertEquals([...first.y], [0, 1]);
});

Deno.test("BatchLoader.epoch() writes every batch into the same buffers, the caller's when given", () => {
  const X = new Float32Array(3 * 4);
  const y = new Int32Array(3);
  const set = smallSet(7);
  const loader = new BatchLoader(set, { batchSize: 3, random: 5, X, y });
  let last: Batch | undefined;
  for (const batch of loader) {
    if (batch.size === 3) {
      assertStrictEquals(batch.X, X);
      assertStrictEquals(batch.y, y);
    } else {
      // the last, smaller batch is a view of the same memory
      assertStrictEquals(batch.X.buffer, X.buffer);
      assertEquals(batch.X.length, batch.size * 4);
    }
    for (let b = 0; b < batch.size; b++) {
      const i = batch.indices[b];
      assertEquals(batch.y[b], set.labels[i]);
      assertEquals(batch.X[b * 4], Math.fround(set.images[i * 4] / 255));
    }
    last = batch;
  }
  assertEquals(last?.size, 1);
});

Deno.test("BatchLoader.epoch() with compact gives each batch's columns not all zero and its values there", () => {
  // 2 × 2 images whose pixels are 0 where (image + pixel) is odd: a batch of one image has two
  // lit columns, a batch of both parities all four
  const count = 9, bytes = new Uint8Array(count * 4).map((_, p) => (p + (p >> 2)) % 2 ? 0 : 7);
  const set = new LabelledImages(bytes, labels(count), { rows: 2, cols: 2 });
  const dense = new BatchLoader(set, { batchSize: 2, random: 4 });
  const compact = new BatchLoader(set, { batchSize: 2, random: 4, compact: true });
  const widths = new Set<number>();
  for (const [a, b] of zip(dense.epoch(), compact.epoch())) {
    assertEquals(b.indices, a.indices);
    assertEquals(b.y, a.y);
    const columns = [0, 1, 2, 3].filter((j) =>
      [...Array(a.size).keys()].some((r) => a.X[r * 4 + j])
    );
    assertEquals([...b.columns!], columns);
    assertEquals(
      [...b.X],
      [...Array(a.size).keys()].flatMap((r) => columns.map((j) => a.X[r * 4 + j])),
    );
    widths.add(columns.length);
  }
  assertEquals([...widths].sort(), [2, 4]);
  assertEquals(dense.epoch().next().value?.columns, null);
  const plain = { count: 1, numInputs: 1, gather() {} };
  assertThrows(
    () => new BatchLoader(plain, { shuffle: false, compact: true }),
    TypeError,
    "Expected a source with gatherCompact for a compact BatchLoader",
  );
});

/** The pairs of two iterables' items, until the shorter ends. */
function* zip<A, B>(a: Iterable<A>, b: Iterable<B>): Generator<[A, B]> {
  const other = b[Symbol.iterator]();
  for (const item of a) {
    const next = other.next();
    if (next.done) return;
    yield [item, next.value];
  }
}

Deno.test("new BatchLoader() throws for a missing seed, a bad batch size or small buffers", () => {
  assertThrows(
    () => new BatchLoader(smallSet(4), { batchSize: 2 }),
    TypeError,
    "Expected options.random (a seed or a Random) for a shuffling BatchLoader but found undefined",
  );
  assertThrows(
    () => new BatchLoader(smallSet(4), { batchSize: 0, random: 1 }),
    RangeError,
    "Expected batchSize to be a positive integer but found 0",
  );
  assertThrows(
    () => new BatchLoader(smallSet(4), { batchSize: 2, random: 1, X: new Float32Array(7) }),
    RangeError,
    "Expected buffers X of at least 2 × 4 values and y of 2 but found 7 and 2",
  );
});

Deno.test("BatchLoader.epoch() covers the 55,000 real training images once per epoch in 50×784 batches", async () => {
  const { train } = await loadMnist();
  const loader = new BatchLoader(train, { batchSize: 50, random: 2022 });
  assertEquals(loader.numBatches, 1100);
  const X = loader.X;
  const orders: Uint32Array[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    const seen = new Uint8Array(train.count);
    const order = new Uint32Array(train.count);
    let n = 0;
    for (const batch of loader) {
      assertStrictEquals(batch.X, X); // filled in place: no new buffer per batch
      for (const i of batch.indices) {
        seen[i]++;
        order[n++] = i;
      }
    }
    assertEquals(n, 55000);
    assert(seen.every((count) => count === 1));
    orders.push(order);
  }
  assertNotEquals(orders[0], orders[1]);
});
