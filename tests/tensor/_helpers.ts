// Shared by the tensor tests: the backends to run on, random matrices, and a closeness check.
import { AssertionError } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import type { Backend } from "../../lib/tensor/backend.ts";
import { availableBackends } from "../../lib/tensor/get_backend.ts";
import { Matrix } from "../../lib/tensor/matrix.ts";

/** float32 results are compared to 1e-5 of the largest expected magnitude. */
export const RTOL = 1e-5;

/** Every backend usable here: js always, each other composition that loads (as tfjs's ALL_ENVS). */
export const BACKENDS: Backend[] = availableBackends();

/**
 * Registers one Deno test per backend: "<name> on <backend>", so one test file covers every
 * backend (tfjs's describeWithFlags).
 */
export function testEachBackend(
  name: string,
  fn: (backend: Backend) => void | Promise<void>,
): void {
  for (const backend of BACKENDS) Deno.test(`${name} on ${backend.name}`, () => fn(backend));
}

/** Options of {@linkcode randomMatrix}. */
export interface RandomMatrixOptions {
  /** The share of elements set to 0. */
  zeros?: number;
  /** Make the nonzeros pixel-like: uniform in [0, 1). */
  pixels?: boolean;
}

/** A (rows, cols) matrix of normal draws, some set to zero. */
export function randomMatrix(
  random: Random,
  shape: [number, number],
  options: RandomMatrixOptions = {},
): Matrix {
  const { zeros = 0, pixels = false } = options;
  const m = new Matrix(shape[0], shape[1]);
  for (let i = 0; i < m.size; i++) {
    m.data[i] = random.uniform() < zeros ? 0 : pixels ? random.uniform() : random.normal();
  }
  return m;
}

/** A batch of MNIST-like images: whole pixel columns blank (borders), most other pixels 0. */
export function imageBatch(random: Random, batch: number): Matrix {
  const x = new Matrix(batch, 784);
  for (let i = 0; i < batch; i++) {
    for (let r = 4; r < 24; r++) {
      for (let c = 4; c < 24; c++) {
        if (random.uniform() < 0.3) x.data[i * 784 + r * 28 + c] = random.uniform();
      }
    }
  }
  return x;
}

/**
 * Asserts the matrices have the same shape and max |actual − expected| ≤ rtol · max |expected|
 * (or ≤ rtol when expected is all zeros); the message gives the largest difference and where.
 */
export function assertMatrixClose(
  actual: Matrix,
  expected: Matrix,
  rtol: number = RTOL,
  msg = "",
): void {
  if (actual.rows !== expected.rows || actual.cols !== expected.cols) {
    throw new AssertionError(
      `Expected shape (${expected.rows}, ${expected.cols}) but found (${actual.rows}, ${actual.cols})${
        msg ? `: ${msg}` : ""
      }`,
    );
  }
  let scale = 0, maxDiff = 0, at = -1;
  for (let i = 0; i < expected.size; i++) scale = Math.max(scale, Math.abs(expected.data[i]));
  for (let i = 0; i < expected.size; i++) {
    const diff = Math.abs(actual.data[i] - expected.data[i]);
    if (!(diff <= maxDiff)) [maxDiff, at] = [diff, i]; // NaN counts as a difference
  }
  const tolerance = rtol * (scale === 0 ? 1 : scale);
  if (!(maxDiff <= tolerance)) {
    const i = Math.floor(at / expected.cols), j = at % expected.cols;
    throw new AssertionError(
      `Expected matrices within ${tolerance} but found max difference ${maxDiff} at (${i}, ${j}): ` +
        `${actual.data[at]} vs ${expected.data[at]}${msg ? `: ${msg}` : ""}`,
    );
  }
}

/** A matrix of the given shape with every element `value`. */
export function fullMatrix(shape: readonly [number, number], value: number): Matrix {
  const m = new Matrix(shape[0], shape[1]);
  m.data.fill(value);
  return m;
}

export { Matrix, Random };
