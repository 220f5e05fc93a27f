/**
 * A seeded fuzz test of the IDX reader. Small valid IDX files are generated, then mutated
 * (truncated, extended, bit-flipped, given bad or huge dimensions or a wrong magic number,
 * gzip-wrapped, their gzip truncated, flipped or followed by junk) and read by readIdx alone or as
 * one of the four files of an MNIST directory read by loadMnist. Every case must end within
 * TIME_BOUND_MS either in an Error naming the mutated file or in the data a separate reference
 * decoder (below) finds in the bytes.
 *
 * The reference inflates gzip whole with the same DecompressionStream: what is checked is the
 * reader's streaming, its header and length checks and the MNIST rules, not the inflater.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { type Idx, readIdx } from "../../lib/data/idx.ts";
import { findMnistFiles, loadMnist, type Mnist, mnistDataDir } from "../../lib/data/mnist.ts";
import { Random } from "../../lib/data/random.ts";
import { idxBytes, TempDir } from "./_idx_fixture.ts";

const SEED = 1998;
const NUM_CASES = 2400;
const TIME_BOUND_MS = 2000;
/** The most values a header may announce (lib/data/idx.ts), as a BigInt. */
const MAX_VALUES = 2n ** 31n;
/** The MNIST files in the order loadMnist reads them, with their dimensions. */
const MNIST_FILES = [
  { name: "train-images-idx3-ubyte", numDims: 3 },
  { name: "train-labels-idx1-ubyte", numDims: 1 },
  { name: "t10k-images-idx3-ubyte", numDims: 3 },
  { name: "t10k-labels-idx1-ubyte", numDims: 1 },
];

/** One file of a case: its name, its bytes and the dimensions the reader is told to expect. */
interface CaseFile {
  name: string;
  bytes: Uint8Array;
  numDims?: number;
}

/** A case: one file for readIdx, or the four MNIST_FILES for loadMnist, one of them mutated. */
interface Case {
  /** The mutations, for the report of a failure. */
  what: string;
  files: CaseFile[];
  /** The index in `files` of the mutated file, which an error must name. */
  mutated: number;
  mnist: boolean;
}

/** What the reference decoder finds: the values, or why a reader must refuse the bytes. */
type Expected = { dims: number[]; data: Uint8Array } | { invalid: string };

type Outcome = "cleanErrors" | "soundLoads" | "crashes" | "hangs" | "acceptedCorrupt";

Deno.test("readIdx() and loadMnist() end every fuzzed file in an Error naming it or in sound data", async () => {
  const random = new Random(SEED);
  const cases = Array.from({ length: NUM_CASES }, () => randomCase(random));
  cases.push(...await realMnistCases());
  const tally = {
    cases: 0,
    cleanErrors: 0,
    soundLoads: 0,
    crashes: 0,
    hangs: 0,
    acceptedCorrupt: 0,
  };
  const problems: string[] = [];
  const start = performance.now();
  using tmp = new TempDir();
  for (const [i, c] of cases.entries()) {
    const dir = join(tmp.path, `case-${i}`);
    Deno.mkdirSync(dir);
    for (const file of c.files) Deno.writeFileSync(join(dir, file.name), file.bytes);
    const [outcome, detail] = await judge(c, dir);
    tally.cases++;
    tally[outcome]++;
    if (outcome !== "cleanErrors" && outcome !== "soundLoads") {
      problems.push(`case ${i} (${c.what}): ${outcome}: ${detail}`);
    }
    Deno.removeSync(dir, { recursive: true });
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `IDX fuzz, seed ${SEED}: ${tally.cases} cases, ${tally.cleanErrors} clean errors, ` +
      `${tally.soundLoads} sound loads, ${tally.crashes} crashes, ${tally.hangs} hangs, ` +
      `${tally.acceptedCorrupt} accepted-corrupt (${seconds.toFixed(1)} s)`,
  );
  assertEquals(problems.slice(0, 10), [], `${problems.length} problems`);
  assertEquals([tally.crashes, tally.hangs, tally.acceptedCorrupt], [0, 0, 0]);
  // a fuzz that only ever refused, or only ever loaded, would prove little
  assert(tally.soundLoads >= cases.length / 20, `only ${tally.soundLoads} sound loads`);
  assert(tally.cleanErrors >= cases.length / 2, `only ${tally.cleanErrors} clean errors`);
});

/** Runs a case under the time bound and sorts its outcome, with a detail for failures. */
async function judge(c: Case, dir: string): Promise<[Outcome, string]> {
  const expected = c.mnist ? await referenceMnist(c.files) : await reference(c.files[0]);
  const path = join(dir, c.files[c.mutated].name);
  const start = performance.now();
  let result: Idx | Mnist | "timeout";
  try {
    const { numDims } = c.files[0];
    const load: Promise<Idx | Mnist> = c.mnist
      ? loadMnist({ dir, final: true })
      : readIdx(path, numDims === undefined ? {} : { numDims });
    result = await withTimeout(load);
  } catch (error) {
    if (performance.now() - start > TIME_BOUND_MS) return ["hangs", "a late error"];
    if (!(error instanceof Error && error.constructor === Error && error.message.includes(path))) {
      return ["crashes", error instanceof Error ? `${error.name}: ${error.message}` : `${error}`];
    }
    if ("invalid" in expected) return ["cleanErrors", ""];
    return ["crashes", `refused bytes the reference accepts: ${error.message}`];
  }
  const ms = performance.now() - start;
  if (result === "timeout" || ms > TIME_BOUND_MS) return ["hangs", `${ms.toFixed(0)} ms`];
  if ("invalid" in expected) return ["acceptedCorrupt", `expected a refusal: ${expected.invalid}`];
  const found = "train" in result
    ? [result.train, result.eval].flatMap((set) => [
      { dims: [set.count, set.rows, set.cols], data: set.images },
      { dims: [set.count], data: set.labels },
    ])
    : [result];
  const wanted = "files" in expected ? expected.files : [expected];
  const same = found.length === wanted.length &&
    found.every((idx, i) =>
      sameNumbers(idx.dims, wanted[i].dims) && sameNumbers(idx.data, wanted[i].data)
    );
  return same ? ["soundLoads", ""] : ["acceptedCorrupt", "loaded data that differ from the bytes"];
}

/** The promise's value, or "timeout" when it takes longer than TIME_BOUND_MS. */
async function withTimeout<T>(promise: Promise<T>): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), TIME_BOUND_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// --- the reference decoder --------------------------------------------------------------------

/** The values of an IDX file by the format's rules, counted in BigInt; or why it is invalid. */
async function reference({ name, bytes, numDims }: CaseFile): Promise<Expected> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const inflated = new Blob([new Uint8Array(bytes)]).stream()
        .pipeThrough(new DecompressionStream("gzip"));
      bytes = await new Response(inflated).bytes();
    } catch {
      return { invalid: "gzip that does not inflate" };
    }
  } else if (name.endsWith(".gz")) return { invalid: "named .gz but not gzip" };
  if (bytes.length < 4 || bytes[0] || bytes[1] || bytes[2] !== 8 || !bytes[3]) {
    return { invalid: "a wrong magic number" };
  }
  const n = bytes[3];
  if (numDims !== undefined && n !== numDims) return { invalid: `${n} dimensions` };
  if (bytes.length < 4 + 4 * n) return { invalid: "a truncated header" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: n }, (_, d) => view.getUint32(4 + 4 * d));
  const size = dims.reduce((product, d) => product * BigInt(d), 1n);
  if (size > MAX_VALUES) return { invalid: `${size} values` };
  if (BigInt(bytes.length) !== BigInt(4 + 4 * n) + size) return { invalid: "a wrong length" };
  return { dims, data: bytes.subarray(4 + 4 * n) };
}

/** What loadMnist with final true must find in the four files: each one's values, or why not. */
async function referenceMnist(
  files: CaseFile[],
): Promise<{ files: { dims: number[]; data: Uint8Array }[] } | { invalid: string }> {
  const found: { dims: number[]; data: Uint8Array }[] = [];
  for (const file of files) {
    const idx = await reference(file);
    if ("invalid" in idx) return idx;
    found.push(idx);
  }
  const [trainImages, trainLabels, testImages, testLabels] = found;
  for (const [images, labels] of [[trainImages, trainLabels], [testImages, testLabels]]) {
    if (images.dims.includes(0)) return { invalid: "no images, or images of no pixels" };
    if (labels.dims[0] !== images.dims[0]) return { invalid: "as many labels as images" };
    if (labels.data.some((label) => label > 9)) return { invalid: "a label above 9" };
  }
  if (!sameNumbers(trainImages.dims.slice(1), testImages.dims.slice(1))) {
    return { invalid: "test images of another size" };
  }
  return { files: found };
}

function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// --- the cases --------------------------------------------------------------------------------

/** A random case: 60% one IDX file of 1 to 4 dimensions, 40% an MNIST directory. */
function randomCase(random: Random): Case {
  const what: string[] = [];
  if (random.uniform() < 0.6) {
    const numDims = 1 + random.integer(4);
    const dims = Array.from({ length: numDims }, () => random.integer(5));
    const file = mutate(
      { name: "case-idx1-ubyte", bytes: idxBytes(dims, bytes(random, product(dims))) },
      random,
      what,
    );
    // told the right number of dimensions, a wrong one, or none
    const told = [numDims, undefined, 1 + random.integer(4)][random.integer(3)];
    return { what: what.join(", "), files: [{ ...file, numDims: told }], mutated: 0, mnist: false };
  }
  const [numTrain, numTest, rows, cols] = [1, 1, 1, 1].map((min) => min + random.integer(5));
  const labels = (count: number) => Uint8Array.from({ length: count }, () => random.integer(10));
  const files: CaseFile[] = MNIST_FILES.map(({ name, numDims }, i) => {
    const count = i < 2 ? numTrain : numTest;
    const data = numDims === 3 ? bytes(random, count * rows * cols) : labels(count);
    return { name, numDims, bytes: idxBytes(numDims === 3 ? [count, rows, cols] : [count], data) };
  });
  const mutated = random.integer(4);
  if (random.uniform() < 0.1 && mutated % 2 === 0) {
    // a well-formed but empty or degenerate set: no images (and no labels), or images of no pixels
    const count = mutated < 2 ? numTrain : numTest;
    const dims = [[0, rows, cols], [count, 0, cols], [count, rows, 0]][random.integer(3)];
    files[mutated] = { ...files[mutated], bytes: idxBytes(dims, []) };
    if (dims[0] === 0) files[mutated + 1] = { ...files[mutated + 1], bytes: idxBytes([0], []) };
    what.push(`images of ${dims.join(" × ")}`);
  } else files[mutated] = mutate(files[mutated], random, what);
  return { what: `MNIST ${files[mutated].name}: ${what.join(", ")}`, files, mutated, mnist: true };
}

/** Mutations of the bytes of an IDX file, each named. */
const MUTATIONS: [string, (bytes: Uint8Array, random: Random) => Uint8Array][] = [
  ["truncate", (b, r) => b.slice(0, r.integer(b.length + 1))],
  ["extend", (b, r) => concat(b, bytes(r, 1 + r.integer(8)))],
  ["flip bits", (b, r) => {
    const c = b.slice();
    for (let k = 1 + r.integer(3); k > 0 && c.length > 0; k--) {
      // half the flips in the header
      c[r.integer(r.uniform() < 0.5 ? Math.min(c.length, 16) : c.length)] ^= 1 << r.integer(8);
    }
    return c;
  }],
  ["set a dimension", (b, r) => {
    const values = [0, 1, 2, 3, 255, 65536, 2 ** 31, 2 ** 32 - 1, r.integer(2 ** 32)];
    return setDim(b, r.integer(Math.max(1, b[3] ?? 1)), values[r.integer(values.length)]);
  }],
  ["huge dimensions", (b, r) => {
    const values = [60000, 65536, 2 ** 20, 2 ** 31, 2 ** 32 - 1];
    let c = b;
    for (let d = 0; d < (b[3] ?? 0); d++) c = setDim(c, d, values[r.integer(values.length)]);
    return c;
  }],
  ["announce about 2^31 values", (b, r) => {
    let c = b;
    for (let d = 1; d < (b[3] ?? 0); d++) c = setDim(c, d, 1);
    return setDim(c, 0, 2 ** 31 - 1 + r.integer(3));
  }],
  ["change the magic number", (b, r) => {
    const c = b.slice();
    const values = [0, 1, 3, 8, 9, 0x0d, 0x1f, 0x8b, 255, r.integer(256)];
    if (c.length > 0) c[r.integer(Math.min(4, c.length))] = values[r.integer(values.length)];
    return c;
  }],
  ["set a value", (b, r) => {
    const c = b.slice();
    const start = 4 + 4 * (b[3] ?? 0);
    if (c.length > start) c[start + r.integer(c.length - start)] = r.integer(256);
    return c;
  }],
  ["rewrite with new dimensions", (b, r) => {
    const dims = Array.from({ length: b[3] || 1 }, () => r.integer(4));
    return idxBytes(dims, bytes(r, product(dims)));
  }],
];

/** Mutations of gzip bytes, each named. */
const GZIP_MUTATIONS: [string, (bytes: Uint8Array, random: Random) => Uint8Array][] = [
  ["truncate the gzip", (b, r) => b.slice(0, r.integer(b.length))],
  ["flip a gzip bit", (b, r) => {
    const c = b.slice();
    c[r.integer(c.length)] ^= 1 << r.integer(8);
    return c;
  }],
  ["junk after the gzip", (b, r) => concat(b, bytes(r, 1 + r.integer(8)))],
  ["a second gzip member", (b, r) => concat(b, gzip(bytes(r, r.integer(8)), r))],
];

/** No to three mutations, then gzip for a third of the files (its bytes mutated or not). */
function mutate(file: CaseFile, random: Random, what: string[]): CaseFile {
  let { name, bytes } = file;
  for (let k = random.integer(4); k > 0; k--) {
    const [label, change] = MUTATIONS[random.integer(MUTATIONS.length)];
    bytes = change(bytes, random);
    what.push(label);
  }
  if (random.uniform() < 0.35) {
    bytes = gzip(bytes, random);
    what.push("gzip");
    if (random.uniform() < 0.5) {
      const [label, change] = GZIP_MUTATIONS[random.integer(GZIP_MUTATIONS.length)];
      bytes = change(bytes, random);
      what.push(label);
    }
    if (random.uniform() < 0.85) name += ".gz";
  } else if (random.uniform() < 0.05) {
    name += ".gz";
    what.push("named .gz");
  }
  return { ...file, name, bytes };
}

/** Two cases from the real MNIST test files: labels gzipped (sound) and images truncated. */
async function realMnistCases(): Promise<Case[]> {
  const files = findMnistFiles(await mnistDataDir());
  const labels = Deno.readFileSync(files.testLabels);
  const images = Deno.readFileSync(files.testImages);
  return [
    {
      what: "real test labels, gzipped",
      files: [{ name: "t10k-labels-idx1-ubyte.gz", bytes: gzipSync(labels), numDims: 1 }],
      mutated: 0,
      mnist: false,
    },
    {
      what: "real test images, less their last byte",
      files: [{ name: "t10k-images-idx3-ubyte", bytes: images.subarray(0, -1), numDims: 3 }],
      mutated: 0,
      mnist: false,
    },
  ];
}

/** Sets dimension d of an IDX header, when the bytes reach that far. */
function setDim(b: Uint8Array, d: number, value: number): Uint8Array {
  const c = b.slice();
  if (c.length >= 8 + 4 * d) new DataView(c.buffer).setUint32(4 + 4 * d, value);
  return c;
}

function bytes(random: Random, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => random.integer(256));
}

function gzip(b: Uint8Array, random: Random): Uint8Array {
  return new Uint8Array(gzipSync(b, { level: 1 + random.integer(9) }));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

function product(dims: number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}
