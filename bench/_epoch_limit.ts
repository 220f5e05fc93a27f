// The limit of an MNIST epoch of the 784-300-10 network, for bench/mnist_epoch_bench.ts: the
// floating-point work of one epoch in each formulation of the first layer, counted from the data,
// and the time that work takes at OpenBLAS's measured peak (issue 23's "the limit, stated").
//
// Per image, the network's products do 2·(2·n₀·300 + 3·300·10) flops: the first layer's forward
// product and its weight gradient over n₀ inputs, and the second layer's three products. n₀ is
// 784 when dense; the batch's lit columns (any pixel nonzero in the batch) when compacted; the
// image's own nonzero pixels when sparse.
import { BatchLoader } from "../lib/data/batch_loader.ts";
import type { LabelledImages } from "../lib/data/labelled_images.ts";
import { Random } from "../lib/data/random.ts";
import { loadOpenblas } from "../lib/tensor/backends/openblas.ts";
import { Matrix } from "../lib/tensor/matrix.ts";

const HIDDEN = 300, OUTPUTS = 10;

/** One formulation's work per epoch, and its mean first-layer width. */
export interface Formulation {
  name: "dense" | "compacted" | "sparse";
  gflop: number;
  /** n₀: the mean inputs per image the first layer works on. */
  inputs: number;
}

/** The epoch's work in each formulation, and the peak it is divided by. */
export interface EpochLimit {
  formulations: Formulation[];
  /** OpenBLAS's sgemm on one thread, GFLOP/s: the best of several products. */
  peakGflops: number;
  /** How the peak was measured. */
  peakHow: string;
}

/**
 * Counts the work of one epoch at a batch size (batches of a shuffle with seed 0: their lit
 * columns vary little from one shuffle to another) and measures the peak.
 *
 * @param train The training images (the first 55,000 of MNIST's).
 * @param batchSize The batch size.
 * @returns The formulations' work and the peak.
 */
export function epochLimit(train: LabelledImages, batchSize: number): EpochLimit {
  const n0 = train.numInputs, count = train.count;
  let litColumns = 0, nonzero = 0;
  const loader = new BatchLoader(train, { batchSize, random: new Random(0) });
  const lit = new Uint8Array(n0);
  for (const { X, size } of loader.epoch()) { // X: (size, n₀)
    lit.fill(0);
    for (let i = 0; i < size * n0; i++) {
      if (X[i] !== 0) {
        lit[i % n0] = 1;
        nonzero++;
      }
    }
    litColumns += size * lit.reduce((a, b) => a + b, 0);
  }
  const work = (inputs: number) => (2 * (2 * inputs * HIDDEN + 3 * HIDDEN * OUTPUTS) * count) / 1e9;
  const formulation = (name: Formulation["name"], inputs: number) => ({
    name,
    gflop: work(inputs),
    inputs,
  });
  return {
    formulations: [
      formulation("dense", n0),
      formulation("compacted", litColumns / count),
      formulation("sparse", nonzero / count),
    ],
    ...peak(),
  };
}

/** OpenBLAS's sgemm of (1000, 784) · (784, 300) on one thread: the best GFLOP/s of 7 runs. */
function peak(): { peakGflops: number; peakHow: string } {
  const [m, k, n] = [1000, 784, HIDDEN];
  const how = `OpenBLAS sgemm (${m}, ${k}) · (${k}, ${n}) on one thread, best of 7`;
  let blas;
  try {
    blas = loadOpenblas({ elementwise: "js" });
  } catch (error) {
    return { peakGflops: NaN, peakHow: `${how}: not measured (${(error as Error).message})` };
  }
  const threads = blas.threads!.count();
  blas.threads!.set(1);
  try {
    const a = new Matrix(m, k), b = new Matrix(k, n), c = new Matrix(m, n);
    const random = new Random(1);
    for (const x of [a, b]) for (let i = 0; i < x.size; i++) x.data[i] = random.uniform() - 0.5;
    let best = Infinity;
    for (let run = 0; run < 7; run++) {
      const start = performance.now();
      blas.gemm({ a, b, c });
      best = Math.min(best, performance.now() - start);
    }
    return { peakGflops: (2 * m * k * n) / (best * 1e6), peakHow: how };
  } finally {
    blas.threads!.set(threads);
  }
}
