// gemm speed for the MLP's products (784 → 300 → 10, batch 50), on every backend: GFLOP/s
// counted as 2·m·n·k per product (dense-equivalent, also where zeros are skipped or compacted
// away), the median of several timed rounds; the steps that are no product (the compaction of X,
// an Adam step on W1) in milliseconds. Prints a table; asserts nothing. The compacted
// products include their gathers and scatters (into preallocated outputs), not the compaction of
// X, which is timed alone. Every operand lives where the backend's `matrix()` puts it (for wasm,
// in the module's memory, so no copies are timed). Other processes on the machine move these
// numbers a lot.
//
//   deno run --allow-all bench/gemm_bench.ts [path/to/train-images-idx3-ubyte]
//
// With an IDX image file the batches are real MNIST images (the first 50 · 20); without one they
// are synthetic look-alikes (blank border, about 80% zero pixels, about 40% all-zero columns).
import { Random } from "../lib/data/random.ts";
import type { Backend } from "../lib/tensor/backend.ts";
import { gemmNaive, jsBackend } from "../lib/tensor/backends/js.ts";
import { loadOpenblas } from "../lib/tensor/backends/openblas.ts";
import { loadWasm } from "../lib/tensor/backends/wasm.ts";
import { Matrix } from "../lib/tensor/matrix.ts";
import { mnistDataDir } from "../lib/data/mnist.ts";
import { machine, numpyEpochLine } from "./_machine.ts";

const BATCH = 50, INPUTS = 784, HIDDEN = 300, OUTPUTS = 10, NUM_BATCHES = 20;

// ---------------------------------------------------------------------------------------------
// data

function readImages(path: string, count: number): Matrix {
  const bytes = Deno.readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, n, rows, cols] = [0, 4, 8, 12].map((o) => view.getUint32(o));
  if (magic !== 0x803 || rows * cols !== INPUTS || n < count) {
    throw new Error(
      `Expected an IDX image file of at least ${count} 28×28 images in ${path} but found magic ` +
        `0x${magic.toString(16)}, ${n} images of ${rows}×${cols}`,
    );
  }
  const x = new Matrix(count, INPUTS);
  for (let i = 0; i < x.size; i++) x.data[i] = bytes[16 + i] / 255;
  return x;
}

function syntheticImages(random: Random, count: number): Matrix {
  const x = new Matrix(count, INPUTS);
  for (let i = 0; i < count; i++) {
    for (let r = 3; r < 25; r++) {
      for (let c = 3; c < 25; c++) {
        if (random.uniform() < 0.31) x.data[i * INPUTS + r * 28 + c] = random.uniform();
      }
    }
  }
  return x;
}

function normal(random: Random, rows: number, cols: number, std: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.size; i++) m.data[i] = random.normal(0, std);
  return m;
}

/** X's columns holding a nonzero, and X with only those columns (the model's compaction). */
function compactColumns(x: Matrix, backend: Backend): { columns: Int32Array; values: Matrix } {
  const columns = backend.nonzeroColumns({ x });
  const values = backend.gatherColumns({ x, columns, out: new Matrix(x.rows, columns.length) });
  return { columns, values };
}

// ---------------------------------------------------------------------------------------------
// timing

/** Median milliseconds per call of fn over 5 rounds of at least 100 ms each (after warm-up). */
function time(fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < 100) {
      fn();
      calls++;
      elapsed = performance.now() - start;
    }
    rounds.push(elapsed / calls);
  }
  rounds.sort((a, b) => a - b);
  return rounds[2];
}

// ---------------------------------------------------------------------------------------------
// the products

const path = Deno.args[0];
const random = new Random(2024);
const images = path
  ? readImages(path, BATCH * NUM_BATCHES)
  : syntheticImages(random, BATCH * NUM_BATCHES);
const batches = Array.from(
  { length: NUM_BATCHES },
  (_, b) => images.sliceRows(b * BATCH, (b + 1) * BATCH),
);

let zeros = 0, zeroColumns = 0;
for (const x of batches) {
  for (const v of x.data) zeros += v === 0 ? 1 : 0;
  zeroColumns += INPUTS - compactColumns(x, jsBackend).columns.length;
}
for (const line of machine()) console.log(line);
console.log(`  ${await numpyEpochLine(await mnistDataDir())}`);
console.log(
  `data: ${path ? `MNIST (${path})` : "synthetic MNIST look-alikes"}; ` +
    `${(100 * zeros / images.size).toFixed(1)}% zero pixels, ` +
    `${
      (100 * zeroColumns / (NUM_BATCHES * INPUTS)).toFixed(1)
    }% all-zero columns per batch of ${BATCH}`,
);

const w1 = normal(random, INPUTS, HIDDEN, 1 / Math.sqrt(INPUTS));
const w2 = normal(random, HIDDEN, OUTPUTS, 1 / Math.sqrt(HIDDEN));
const h = normal(random, BATCH, HIDDEN, 0.3);
const dK1 = normal(random, BATCH, HIDDEN, 0.01);
const dK2 = normal(random, BATCH, OUTPUTS, 0.01);
const denseX = normal(random, BATCH, INPUTS, 1);
const adamW1 = w1.clone(), adamG = normal(random, INPUTS, HIDDEN, 1e-3);
const adamM = new Matrix(INPUTS, HIDDEN), adamV = new Matrix(INPUTS, HIDDEN);

interface Product {
  name: string;
  /** (m, k, n) of op(A) · op(B); undefined for a step that is no product (timed only). */
  mkn?: [number, number, number];
  run(backend: Backend, batch: number): void;
}

/** Each matrix copied once into each backend's own memory (its `matrix()`). */
const placedCopies = new Map<Backend, Map<Matrix, Matrix>>();
function placed(backend: Backend, m: Matrix): Matrix {
  let copies = placedCopies.get(backend);
  if (copies === undefined) placedCopies.set(backend, copies = new Map());
  let copy = copies.get(m);
  if (copy === undefined) {
    copy = backend.matrix(m.rows, m.cols);
    copy.data.set(m.data);
    copies.set(m, copy);
  }
  return copy;
}

function gemmProduct(
  name: string,
  mkn: [number, number, number],
  operands: (batch: number) => [Matrix, Matrix],
  flags: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
): Product {
  const c = new Matrix(mkn[0], mkn[2]);
  return {
    name,
    mkn,
    run: (backend, batch) => {
      const [a, b] = operands(batch);
      backend.gemm({
        a: placed(backend, a),
        b: placed(backend, b),
        c: placed(backend, c),
        ...flags,
      });
    },
  };
}

const x = (batch: number) => batches[batch % NUM_BATCHES];
// compacted once per batch, outside the timings of the products (timed on its own)
const compacted = batches.map((batch) => compactColumns(batch, jsBackend));
const k1 = new Matrix(BATCH, HIDDEN), dW1 = new Matrix(INPUTS, HIDDEN);
/** Per batch, the compacted rows of W1 and the compacted Xᵀ · dK1 (k, HIDDEN). */
const compactedRows = compacted.map(({ columns }) => new Matrix(columns.length, HIDDEN));
const meanK = compacted.reduce((sum, { columns }) => sum + columns.length, 0) / NUM_BATCHES;
const products: Product[] = [
  gemmProduct("X · W1", [BATCH, INPUTS, HIDDEN], (i) => [x(i), w1]),
  gemmProduct("X · W1, X dense", [BATCH, INPUTS, HIDDEN], () => [denseX, w1]),
  gemmProduct("Xᵀ · dK1", [INPUTS, BATCH, HIDDEN], (i) => [x(i), dK1], { transA: true }),
  gemmProduct("H · W2", [BATCH, HIDDEN, OUTPUTS], () => [h, w2]),
  gemmProduct("dK2 · W2ᵀ", [BATCH, OUTPUTS, HIDDEN], () => [dK2, w2], { transB: true }),
  gemmProduct("Hᵀ · dK2", [HIDDEN, BATCH, OUTPUTS], () => [h, dK2], { transA: true }),
  {
    name: "compactColumns(X) alone",
    run: (backend, i) => void compactColumns(placed(backend, x(i)), backend),
  },
  {
    // W1's rows gathered, then the product (as compactedMatmul, into preallocated matrices)
    name: "X · W1 compacted",
    mkn: [BATCH, INPUTS, HIDDEN],
    run: (backend, i) => {
      const { columns, values } = compacted[i % NUM_BATCHES];
      const wc = placed(backend, compactedRows[i % NUM_BATCHES]);
      backend.gatherRows({ x: placed(backend, w1), rows: columns, out: wc });
      backend.gemm({ a: placed(backend, values), b: wc, c: placed(backend, k1) });
    },
  },
  {
    // the product, then its rows scattered into a zeroed dW1 (as compactedMatmulTransA)
    name: "Xᵀ · dK1 compacted",
    mkn: [INPUTS, BATCH, HIDDEN],
    run: (backend, i) => {
      const { columns, values } = compacted[i % NUM_BATCHES];
      const partial = placed(backend, compactedRows[i % NUM_BATCHES]);
      backend.gemm({
        a: placed(backend, values),
        b: placed(backend, dK1),
        c: partial,
        transA: true,
      });
      const out = placed(backend, dW1);
      out.data.fill(0);
      backend.scatterRows({ x: partial, rows: columns, out });
    },
  },
  {
    // the SGD step on the compacted rows alone: W1c ← W1c − lr · Xcᵀ · dK1 (beta 1)
    name: `W1c − lr · Xcᵀ · dK1 (k ≈ ${Math.round(meanK)})`,
    mkn: [Math.round(meanK), BATCH, HIDDEN],
    run: (backend, i) => {
      const { values } = compacted[i % NUM_BATCHES];
      const c = placed(backend, compactedRows[i % NUM_BATCHES]);
      backend.gemm({
        a: placed(backend, values),
        b: placed(backend, dK1),
        c,
        transA: true,
        alpha: -0.1,
        beta: 1,
      });
    },
  },
  {
    // Adam's update of W1 and its two moments, 235,500 weights (a copy of W1: it moves)
    name: `Adam step on W1 (${INPUTS} × ${HIDDEN})`,
    run: (backend, i) =>
      void backend.adam({
        p: placed(backend, adamW1),
        g: placed(backend, adamG),
        m: placed(backend, adamM),
        v: placed(backend, adamV),
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        step: i + 1,
      }),
  },
];

const backends: [string, Backend][] = [["js", jsBackend]];
try {
  const blas = loadOpenblas(), numThreads = blas.threads!.count();
  console.log(`openblas: ${blas.identity()}; ${numThreads} threads by default`);
  backends.push([`openblas ×${numThreads}`, blas]);
  // the same library object: the thread count is global, so set it before each timing
  backends.push(["openblas ×1", loadOpenblas({ numThreads: 1 })]);
  blas.threads!.set(numThreads);
} catch (error) {
  console.log(`openblas: not measured (${error instanceof Error ? error.message : error})`);
}
try {
  backends.push(["wasm", loadWasm()]);
} catch (error) {
  console.log(`wasm: not measured (${error instanceof Error ? error.message : error})`);
}

const rows: Record<string, string>[] = [];
for (const product of products) {
  const row: Record<string, string> = {
    product: product.name,
    "(m, k, n)": product.mkn ? `(${product.mkn.join(", ")})` : "",
  };
  for (const [label, backend] of backends) {
    const threads = label.match(/×(\d+)/);
    if (threads) loadOpenblas({ numThreads: Number(threads[1]) });
    let batch = 0;
    const ms = time(() => product.run(backend, batch++));
    if (product.mkn === undefined) {
      row[label] = `${ms.toFixed(3)} ms`;
    } else {
      const [m, k, n] = product.mkn;
      row[label] = `${(2 * m * n * k / ms / 1e6).toFixed(1)} GFLOP/s (${ms.toFixed(3)} ms)`;
    }
  }
  rows.push(row);
}
if (backends.length > 1) loadOpenblas({ numThreads: Number(backends[1][0].split("×")[1]) });

// the naive reference, once, for scale
{
  const c = new Matrix(BATCH, HIDDEN);
  const ms = time(() => gemmNaive({ a: denseX, b: w1, c }));
  rows.push({
    product: "X · W1, X dense, gemmNaive",
    "(m, k, n)": `(${BATCH}, ${INPUTS}, ${HIDDEN})`,
    js: `${(2 * BATCH * INPUTS * HIDDEN / ms / 1e6).toFixed(1)} GFLOP/s (${ms.toFixed(3)} ms)`,
  });
}

console.table(rows);
