// Shared by the lib/nn tests: the backends (from the tensor tests), real MNIST batches, an
// independent float64 forward pass to take finite differences of, and a closeness check for
// gradients. Legend as in lib/nn/mlp.ts: B the batch size, n_l the size of layer l.
import { AssertionError } from "@std/assert";
import { type Batch, BatchLoader } from "../../lib/data/batch_loader.ts";
import { loadMnist, type Mnist } from "../../lib/data/mnist.ts";
import type { ActivationName } from "../../lib/tensor/activation.ts";
import type { Mlp } from "../../lib/nn/mlp.ts";
import {
  assertMatrixClose,
  BACKENDS,
  Matrix,
  Random,
  randomMatrix,
  testEachBackend,
} from "../tensor/_helpers.ts";

export { assertMatrixClose, BACKENDS, Matrix, Random, randomMatrix, testEachBackend };

let mnist: Promise<Mnist> | undefined;

/** The course split, cut to the first 5,000 training and 1,000 validation images; loaded once. */
export function smallMnist(): Promise<Mnist> {
  mnist ??= loadMnist({ trainLimit: 5000, evalLimit: 1000 });
  return mnist;
}

/** A real MNIST batch as owned matrices: X (B, 784), labels (B). */
export interface MnistBatch {
  X: Matrix;
  labels: Int32Array;
}

/** The first `count` batches of a seeded epoch over the small training set, copied. */
export async function mnistBatches(
  count: number,
  options: { batchSize?: number; seed?: number } = {},
): Promise<MnistBatch[]> {
  const { batchSize = 50, seed = 1 } = options;
  const { train } = await smallMnist();
  const loader = new BatchLoader(train, { batchSize, random: seed });
  const batches: MnistBatch[] = [];
  for (const batch of loader.epoch()) {
    if (batches.length === count) break;
    batches.push(copyBatch(batch, train.numInputs));
  }
  return batches;
}

function copyBatch(batch: Batch, numInputs: number): MnistBatch {
  return { X: new Matrix(batch.size, numInputs, batch.X.slice()), labels: batch.y.slice() };
}

/** The weights and biases of an MLP as float64 copies: W_l (n_l, n_{l+1}), b_l (n_{l+1}). */
export interface Params64 {
  sizes: number[];
  activations: ActivationName[];
  weights: Float64Array[];
  biases: Float64Array[];
}

/** The hidden activations in float64, written independently of lib/nn/activation.ts. */
const HIDDEN_64: Record<ActivationName, (z: number) => number> = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => (Math.exp(z) - Math.exp(-z)) / (Math.exp(z) + Math.exp(-z)),
  relu: (z) => Math.max(0, z),
};

/** Float64 copies of an MLP's parameters (exact: every float32 is a float64). */
export function params64(mlp: Mlp): Params64 {
  return {
    sizes: [...mlp.sizes],
    activations: [...mlp.activations],
    weights: mlp.weights.map((W) => Float64Array.from(W.data)),
    biases: mlp.biases.map((b) => Float64Array.from(b.data)),
  };
}

/**
 * The mean cross-entropy of a batch in float64, one instance at a time in plain loops: an
 * independent forward pass (the hidden activations written out again here, softmax output) to
 * take finite differences of.
 * X is (B, n_0).
 */
export function meanLoss64(p: Params64, X: Matrix, labels: ArrayLike<number>): number {
  const L = p.weights.length;
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    let a: Float64Array = Float64Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    for (let l = 0; l < L; l++) {
      const n = p.sizes[l], m = p.sizes[l + 1], W = p.weights[l];
      const z = Float64Array.from(p.biases[l]);
      for (let r = 0; r < n; r++) {
        const x = a[r];
        if (x === 0) continue;
        for (let c = 0; c < m; c++) z[c] += x * W[r * m + c];
      }
      if (l + 1 < L) { for (let c = 0; c < m; c++) z[c] = HIDDEN_64[p.activations[l]](z[c]); }
      a = z;
    }
    const max = Math.max(...a);
    const lse = max + Math.log(a.reduce((s, o) => s + Math.exp(o - max), 0));
    total += lse - a[labels[i]];
  }
  return total / X.rows;
}

/**
 * Central differences (f(θ + h) − f(θ − h)) / 2h of a float64 function with respect to the
 * entries `indices` of `theta`, perturbed in place and restored exactly.
 */
export function centralDifference64(
  f: () => number,
  theta: Float64Array,
  indices: ArrayLike<number>,
  h = 1e-5,
): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k], saved = theta[i];
    theta[i] = saved + h;
    const plus = f();
    theta[i] = saved - h;
    const minus = f();
    theta[i] = saved;
    out[k] = (plus - minus) / (2 * h);
  }
  return out;
}

/**
 * Asserts max |actual − expected| ≤ rtol · max |expected| (rtol alone when expected is all 0),
 * naming the largest difference and where it is.
 */
export function assertArrayClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  what: string,
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError(
      `${what}: expected ${expected.length} values but found ${actual.length}`,
    );
  }
  let scale = 0, maxDiff = 0, at = -1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= maxDiff)) [maxDiff, at] = [diff, i];
  }
  const tolerance = rtol * (scale === 0 ? 1 : scale);
  if (!(maxDiff <= tolerance)) {
    throw new AssertionError(
      `${what}: expected values within ${tolerance} but found max difference ${maxDiff} at ` +
        `${at}: ${actual[at]} vs ${expected[at]}`,
    );
  }
}

/** A random batch: X (B, n) of normal draws, labels uniform from 0 to numClasses − 1. */
export function randomBatch(
  random: Random,
  rows: number,
  sizes: readonly number[],
): { X: Matrix; labels: Int32Array } {
  const X = randomMatrix(random, [rows, sizes[0]]);
  const labels = Int32Array.from({ length: rows }, () => random.integer(sizes.at(-1)!));
  return { X, labels };
}
