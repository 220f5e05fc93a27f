/**
 * Every primitive of a backend against the js backend's, on the same random data, as numbers a
 * page can hand back: bundled into the page of tests/browser/wasm_browser_test.ts (so it imports
 * nothing of Deno's). The data are uniform draws only, computed alike by every engine.
 *
 * @module
 */

import { Random } from "../../lib/data/random.ts";
import type { Backend } from "../../lib/tensor/backend.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { Matrix } from "../../lib/tensor/matrix.ts";

/**
 * The tolerances of tests/tensor/backends/wasm_test.ts: float32, max |difference| ≤ 1e-5 of the
 * largest expected magnitude; Adam's m against the largest |g|, its v against the largest v, its
 * p in units of lr; the index primitives exactly.
 */
export const AGREEMENT_TOLERANCES: Readonly<Record<string, number>> = {
  default: 1e-5,
  "adam m": 1e-6,
  "adam v": 1e-6,
  "adam p": 5e-5,
  nonzeroColumns: 0,
  gatherColumns: 0,
  gatherRows: 0,
  scatterRows: 0,
  "softmaxCrossEntropy correct": 0,
};

/** A (rows, cols) matrix of uniform draws from [−1, 1), a share `zeros` of them 0. */
function uniform(random: Random, rows: number, cols: number, zeros = 0): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.size; i++) {
    m.data[i] = random.uniform() < zeros ? 0 : 2 * random.uniform() - 1;
  }
  return m;
}

/** A copy of `x` where `backend` keeps its matrices (for wasm, its memory). */
function on(backend: Backend, x: Matrix): Matrix {
  const copy = backend.matrix(x.rows, x.cols);
  copy.data.set(x.data);
  return copy;
}

/** max |actual − expected| / max |expected| (the absolute difference when expected is all 0). */
function relative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let difference = 0, largest = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
    largest = Math.max(largest, Math.abs(expected[i]));
  }
  return Number.isNaN(difference) ? Infinity : difference / (largest || 1);
}

/**
 * Runs every primitive on `backend` and on the js backend with the same random data.
 *
 * @param backend The backend to check.
 * @param seed The data's seed.
 * @returns The largest relative difference of each primitive (by name, or name and detail),
 *   for AGREEMENT_TOLERANCES.
 */
export function backendAgreement(backend: Backend, seed = 1): Record<string, number> {
  const random = new Random(seed), found: Record<string, number> = {};
  const record = (name: string, difference: number) =>
    found[name] = Math.max(found[name] ?? 0, difference);
  for (const [m, k, n] of [[7, 13, 5], [50, 784, 300], [50, 300, 10], [1, 3, 2]]) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = transA ? uniform(random, k, m) : uniform(random, m, k);
      const b = transB ? uniform(random, n, k) : uniform(random, k, n);
      const c = uniform(random, m, n), args = { transA, transB, alpha: 2, beta: -1 };
      const expected = jsBackend.gemm({ a, b, c: c.clone(), ...args });
      const actual = backend.gemm({
        a: on(backend, a),
        b: on(backend, b),
        c: on(backend, c),
        ...args,
      });
      record("gemm", relative(actual.data, expected.data));
    }
  }
  const x = uniform(random, 50, 300), y = uniform(random, 50, 300);
  const axpby = { alpha: -0.1, beta: 0.9 };
  record(
    "axpby",
    relative(
      backend.axpby({ ...axpby, x: on(backend, x), y: on(backend, y) }).data,
      jsBackend.axpby({ ...axpby, x, y: y.clone() }).data,
    ),
  );
  const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const p = uniform(random, 30, 20),
    states = [jsBackend, backend].map((b) => ({
      p: on(b, p),
      m: b.matrix(30, 20),
      v: b.matrix(30, 20),
    }));
  let largestG = 0;
  for (let step = 1; step <= 5; step++) {
    const g = uniform(random, 30, 20);
    largestG = Math.max(largestG, ...g.data.map(Math.abs));
    [jsBackend, backend].forEach((b, i) => b.adam({ ...states[i], g: on(b, g), ...hyper, step }));
  }
  const [js, other] = states;
  record(
    "adam m",
    relative(other.m.data, js.m.data) * Math.max(...js.m.data.map(Math.abs)) / largestG,
  );
  record("adam v", relative(other.v.data, js.v.data));
  record(
    "adam p",
    relative(other.p.data, js.p.data) * Math.max(...js.p.data.map(Math.abs)) / hyper.lr,
  );
  const sparse = uniform(random, 50, 100, 0.97);
  const columns = jsBackend.nonzeroColumns({ x: sparse });
  record("nonzeroColumns", relative(backend.nonzeroColumns({ x: on(backend, sparse) }), columns));
  const gathered = (b: Backend) =>
    b.gatherColumns({ x: on(b, sparse), columns, out: b.matrix(50, columns.length) }).data;
  record("gatherColumns", relative(gathered(backend), gathered(jsBackend)));
  const rows = Int32Array.from([3, 0, 7, 7, 1]);
  const gatherRows = (b: Backend) =>
    b.gatherRows({ x: on(b, x), rows, out: b.matrix(5, 300) }).data;
  record("gatherRows", relative(gatherRows(backend), gatherRows(jsBackend)));
  const few = uniform(random, 3, 300), into = Int32Array.from([4, 1, 9]);
  const scatter = (b: Backend) => b.scatterRows({ x: on(b, few), rows: into, out: on(b, x) }).data;
  record("scatterRows", relative(scatter(backend), scatter(jsBackend)));
  const bias = uniform(random, 1, 300);
  for (const activation of ["none", "sigmoid", "tanh", "relu"] as const) {
    const z = (b: Backend) => b.biasActivation({ z: on(b, x), b: on(b, bias), activation }).data;
    record("biasActivation", relative(z(backend), z(jsBackend)));
    if (activation === "none") continue;
    const h = jsBackend.biasActivation({ z: x.clone(), b: bias, activation });
    const dh = (b: Backend) => b.activationBackward({ dh: on(b, y), h: on(b, h), activation }).data;
    record("activationBackward", relative(dh(backend), dh(jsBackend)));
  }
  const logits = uniform(random, 50, 10),
    labels = Int32Array.from({ length: 50 }, (_, i) => i % 10);
  for (let i = 0; i < logits.size; i++) logits.data[i] *= 8;
  const loss = (b: Backend) => {
    const dO = b.matrix(50, 10);
    return { ...b.softmaxCrossEntropy({ o: on(b, logits), labels, dO }), dO: dO.data };
  };
  const [lossJs, lossOther] = [loss(jsBackend), loss(backend)];
  record("softmaxCrossEntropy", relative([lossOther.lossSum], [lossJs.lossSum]));
  record("softmaxCrossEntropy", relative(lossOther.dO, lossJs.dO));
  record("softmaxCrossEntropy correct", Math.abs(lossOther.correct - lossJs.correct));
  const sums = (b: Backend) => b.columnSums({ x: on(b, x), out: b.matrix(1, 300) }).data;
  record("columnSums", relative(sums(backend), sums(jsBackend)));
  return found;
}

/**
 * A product at the MLP's first layer, (50, 784)·(784, 300), of uniform draws from `seed`.
 *
 * @param backend The backend that multiplies.
 * @param seed The data's seed.
 * @returns C's values, row-major.
 */
export function gemmSample(backend: Backend, seed = 7): number[] {
  const random = new Random(seed);
  const a = on(backend, uniform(random, 50, 784, 0.6)), b = on(backend, uniform(random, 784, 300));
  return Array.from(backend.gemm({ a, b, c: backend.matrix(50, 300) }).data);
}
