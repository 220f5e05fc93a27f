// Every primitive on every available backend (js always, each other composition that loads):
// small hand-checked cases, the MLP's shapes against the naive reference product, and shape
// errors.
// Tolerance: float32, max difference ≤ 1e-5 of the largest expected magnitude (RTOL).
import { assertAlmostEquals, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  type Backend,
  type BackendPrimitives,
  defineBackend,
  PRIMITIVE_NAMES,
} from "../../lib/tensor/backend.ts";
import { gemmNaive, jsBackend } from "../../lib/tensor/backends/js.ts";
import {
  assertMatrixClose,
  BACKENDS,
  imageBatch,
  Matrix,
  Random,
  randomMatrix,
  testEachBackend,
} from "./_helpers.ts";
import { fullMatrix } from "./_helpers.ts";

const m = Matrix.from;

Deno.test("defineBackend() makes a missing primitive throw an error naming it", () => {
  const partial = defineBackend("partial", { axpby: jsBackend.axpby });
  const x = m([[0]]);
  assertEquals(partial.axpby({ alpha: 1, x: m([[2]]), beta: 1, y: x }).toArray(), [[2]]);
  assertThrows(
    () => partial.nonzeroColumns({ x }),
    Error,
    'Backend "partial" does not implement nonzeroColumns',
  );
  assertThrows(
    () => partial.gemm({ a: x, b: x, c: new Matrix(1, 1) }),
    Error,
    'Backend "partial" does not implement gemm',
  );
});

Deno.test("defineBackend() checks shapes before the primitive runs", () => {
  let called = false;
  const spy = defineBackend("spy", { axpby: () => (called = true, new Matrix(0, 0)) });
  assertThrows(
    () => spy.axpby({ alpha: 1, x: new Matrix(2, 3), beta: 1, y: new Matrix(3, 2) }),
    RangeError,
    "Cannot axpby: x is (2, 3) but y is (3, 2)",
  );
  assertEquals(called, false);
});

Deno.test("PRIMITIVE_NAMES lists every primitive of the backends", () => {
  for (const backend of BACKENDS) {
    const names = Object.keys(backend).filter((key) =>
      !["name", "matrix", "identity", "threads"].includes(key)
    ).sort();
    assertEquals(names, [...PRIMITIVE_NAMES].sort());
  }
});

Deno.test("the backends list holds js, both OpenBLAS compositions when libopenblas is here and FFI allowed, and wasm when its kernels are built", () => {
  assertEquals(BACKENDS[0].name, "js");
  const hasLibrary = (() => {
    try {
      return Deno.statSync("/usr/lib/x86_64-linux-gnu/libopenblas.so.0").isFile;
    } catch {
      return false;
    }
  })();
  const ffi = Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  if (hasLibrary && ffi) {
    assertEquals(BACKENDS.map((b) => b.name).slice(0, 3), ["js", "openblas", "openblas-js"]);
  }
  // scripts/setup.sh builds the kernels before the tests: the wasm backend must be among them
  assertEquals(BACKENDS.at(-1)?.name, "wasm");
});

// ---------------------------------------------------------------------------------------------
// gemm

testEachBackend("gemm() multiplies small matrices in all four transpose cases", (backend) => {
  const a = m([[1, 2, 3], [4, 5, 6]]); // (2, 3)
  const b = m([[7, 8], [9, 10], [11, 12]]); // (3, 2)
  const ab = [[58, 64], [139, 154]];
  const at = transposed(a), bt = transposed(b);
  assertEquals(backend.gemm({ a, b, c: new Matrix(2, 2) }).toArray(), ab);
  assertEquals(backend.gemm({ a: at, b, c: new Matrix(2, 2), transA: true }).toArray(), ab);
  assertEquals(backend.gemm({ a, b: bt, c: new Matrix(2, 2), transB: true }).toArray(), ab);
  assertEquals(
    backend.gemm({ a: at, b: bt, c: new Matrix(2, 2), transA: true, transB: true }).toArray(),
    ab,
  );
  // op(A) · op(B) with no transposed copy: Aᵀ · A is (3, 3)
  assertEquals(backend.gemm({ a, b: a, c: new Matrix(3, 3), transA: true }).toArray(), [
    [17, 22, 27],
    [22, 29, 36],
    [27, 36, 45],
  ]);
});

testEachBackend("gemm() applies alpha and beta", (backend) => {
  const a = m([[1, 2]]), b = m([[3], [4]]); // (1, 2) · (2, 1) = 11
  assertEquals(backend.gemm({ a, b, c: m([[5]]), alpha: 2, beta: 3 }).toArray(), [[37]]);
  assertEquals(backend.gemm({ a, b, c: m([[5]]), alpha: -1, beta: 1 }).toArray(), [[-6]]);
  assertEquals(backend.gemm({ a, b, c: m([[5]]), alpha: 0, beta: 1 }).toArray(), [[5]]);
  // beta = 0 writes C without reading it, as in BLAS: NaN in C does not propagate
  assertEquals(backend.gemm({ a, b, c: m([[NaN]]) }).toArray(), [[11]]);
});

testEachBackend("gemm() handles empty products", (backend) => {
  const c = m([[1, 2], [3, 4]]);
  backend.gemm({ a: new Matrix(2, 0), b: new Matrix(0, 2), c, beta: 2 });
  assertEquals(c.toArray(), [[2, 4], [6, 8]]);
  backend.gemm({ a: new Matrix(2, 0), b: new Matrix(0, 2), c });
  assertEquals(c.toArray(), [[0, 0], [0, 0]]);
  assertEquals(
    backend.gemm({ a: new Matrix(0, 3), b: new Matrix(3, 2), c: new Matrix(0, 2) }).shape,
    [0, 2],
  );
});

testEachBackend("gemm() matches the naive product on non-square shapes", (backend) => {
  const random = new Random(1);
  for (
    const [mm, k, n] of [[1, 1, 1], [3, 5, 7], [7, 3, 5], [17, 33, 9], [64, 1, 31], [2, 130, 3]]
  ) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randomMatrix(random, transA ? [k, mm] : [mm, k], { zeros: 0.3 });
        const b = randomMatrix(random, transB ? [n, k] : [k, n]);
        const c0 = randomMatrix(random, [mm, n]);
        const args = { a, b, transA, transB, alpha: 0.7, beta: -1.3 };
        const expected = gemmNaive({ ...args, c: c0.clone() });
        const actual = backend.gemm({ ...args, c: c0.clone() });
        assertMatrixClose(
          actual,
          expected,
          1e-5,
          `(${mm}, ${k}, ${n}) transA ${transA} transB ${transB}`,
        );
      }
    }
  }
});

testEachBackend("gemm() matches the naive product on the MLP's shapes", (backend) => {
  const random = new Random(2);
  const x = imageBatch(random, 50); // (50, 784), mostly zeros
  const w1 = randomMatrix(random, [784, 300]);
  const dK1 = randomMatrix(random, [50, 300]);
  const h = randomMatrix(random, [50, 300], { pixels: true });
  const w2 = randomMatrix(random, [300, 10]);
  const dK2 = randomMatrix(random, [50, 10]);
  const cases: [string, Matrix, Matrix, boolean, boolean, [number, number]][] = [
    ["X · W1", x, w1, false, false, [50, 300]],
    ["Xᵀ · dK1", x, dK1, true, false, [784, 300]],
    ["H · W2", h, w2, false, false, [50, 10]],
    ["dK2 · W2ᵀ", dK2, w2, false, true, [50, 300]],
    ["Hᵀ · dK2", h, dK2, true, false, [300, 10]],
    ["dK1 · W1ᵀ", dK1, w1, false, true, [50, 784]],
  ];
  for (const [name, a, b, transA, transB, [rows, cols]] of cases) {
    const expected = gemmNaive({ a, b, c: new Matrix(rows, cols), transA, transB });
    const actual = backend.gemm({ a, b, c: new Matrix(rows, cols), transA, transB });
    assertMatrixClose(actual, expected, 1e-5, name);
  }
});

testEachBackend("gemm() reads and writes views into larger buffers", (backend) => {
  const random = new Random(3);
  const all = randomMatrix(random, [10, 4]);
  const a = all.sliceRows(3, 6); // (3, 4) at an offset
  const b = randomMatrix(random, [4, 2]);
  const out = new Matrix(5, 2);
  backend.gemm({ a, b, c: out.sliceRows(1, 4) });
  const expected = gemmNaive({ a: a.clone(), b, c: new Matrix(3, 2) });
  assertMatrixClose(out.sliceRows(1, 4), expected);
  assertEquals([...out.data.subarray(0, 2), ...out.data.subarray(8)], [0, 0, 0, 0]);
});

testEachBackend("gemm() throws a RangeError naming both shapes", (backend) => {
  const a = new Matrix(2, 3), b = new Matrix(4, 5);
  assertThrows(
    () => backend.gemm({ a, b, c: new Matrix(2, 5) }),
    RangeError,
    "Cannot gemm: op(A) is (2, 3) and op(B) is (4, 5): inner sizes 3 and 4 differ",
  );
  assertThrows(
    () => backend.gemm({ a, b, c: new Matrix(2, 5), transA: true, transB: true }),
    RangeError,
    "op(A) is Aᵀ (3, 2) and op(B) is Bᵀ (5, 4): inner sizes 2 and 5 differ",
  );
  assertThrows(
    () => backend.gemm({ a, b: new Matrix(3, 5), c: new Matrix(5, 2) }),
    RangeError,
    "but C is (5, 2), not (2, 5)",
  );
  const sq = new Matrix(2, 2);
  assertThrows(() => backend.gemm({ a: sq, b: sq, c: sq }), RangeError, "shares memory");
});

// ---------------------------------------------------------------------------------------------
// axpby

testEachBackend("axpby() computes y ← alpha · x + beta · y in place", (backend) => {
  const y = m([[1, 2], [3, 4]]);
  backend.axpby({ alpha: 2, x: m([[1, 1], [1, -1]]), beta: 0.5, y });
  assertEquals(y.toArray(), [[2.5, 3], [3.5, 0]]);
  const big = fullMatrix([3, 2], 1);
  backend.axpby({ alpha: -1, x: m([[1, 2]]), beta: 2, y: big.sliceRows(1, 2) }); // a view
  assertEquals(big.toArray(), [[1, 1], [1, 0], [1, 1]]);
  assertThrows(
    () => backend.axpby({ alpha: 1, x: new Matrix(2, 3), beta: 1, y }),
    RangeError,
    "Cannot axpby: x is (2, 3) but y is (2, 2)",
  );
});

// ---------------------------------------------------------------------------------------------
// adam

testEachBackend("adam() takes the hand-computed first and second steps", (backend) => {
  // a constant gradient g: the bias corrections make m̂ = g and v̂ = g² at every step, so each
  // step moves p by lr · g/(|g| + ε); ε = 0.5 to see it: 0.1 · 2/2.5 = 0.08, 0.1 · 0.5/1 = 0.05
  const p = m([[1, 2]]), g = m([[2, -0.5]]), mean = new Matrix(1, 2), sq = new Matrix(1, 2);
  const args = { p, g, m: mean, v: sq, lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0.5 };
  assertStrictEquals(backend.adam({ ...args, step: 1 }), p);
  // m = 0.1 g, v = 0.001 g²
  assertAlmostEquals(mean.data[0], 0.2, 1e-7);
  assertAlmostEquals(mean.data[1], -0.05, 1e-7);
  assertAlmostEquals(sq.data[0], 0.004, 1e-9);
  assertAlmostEquals(sq.data[1], 0.00025, 1e-10);
  assertAlmostEquals(p.data[0], 0.92, 1e-6);
  assertAlmostEquals(p.data[1], 2.05, 1e-6);
  backend.adam({ ...args, step: 2 });
  // m = 0.9 · 0.2 + 0.1 · 2 = 0.38 = (1 − 0.9²) g; v = 0.999 · 0.004 + 0.001 · 4 = (1 − 0.999²) g²
  assertAlmostEquals(mean.data[0], 0.38, 1e-7);
  assertAlmostEquals(sq.data[0], 0.007996, 1e-9);
  assertAlmostEquals(p.data[0], 0.84, 1e-6);
  assertAlmostEquals(p.data[1], 2.1, 1e-6);
});

testEachBackend("adam() leaves a weight with no gradient where it is", (backend) => {
  const p = m([[0.5, -3, 7]]);
  backend.adam({
    p,
    g: new Matrix(1, 3),
    m: new Matrix(1, 3),
    v: new Matrix(1, 3),
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    step: 1,
  });
  assertEquals(p.toArray(), [[0.5, -3, 7]]);
});

testEachBackend(
  "adam() given a gradient's rows equals adam() on the scattered gradient",
  (backend) => {
    // 7 columns, so each row ends in a partial vector; m and v nonzero, as after earlier steps
    const random = new Random(3), rows = new Int32Array([1, 4, 5]);
    const state = () => [0, 1, 2].map(() => randomMatrix(random, [6, 7]));
    const [p1, m1, v1] = state(), [p2, m2, v2] = [p1, m1, v1].map((x) => x.clone());
    v1.data.forEach((x, i) => (v1.data[i] = v2.data[i] = x * x));
    const gRows = randomMatrix(random, [3, 7]), g = new Matrix(6, 7);
    rows.forEach((row, r) => g.data.set(gRows.data.subarray(7 * r, 7 * r + 7), 7 * row));
    const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 3 };
    backend.adam({ p: p1, g, m: m1, v: v1, ...hyper });
    backend.adam({ p: p2, g: gRows, rows, m: m2, v: v2, ...hyper });
    assertEquals([p2, m2, v2].map((x) => x.toArray()), [p1, m1, v1].map((x) => x.toArray()));
    const args = { p: p2, g: gRows, m: m2, v: v2, ...hyper };
    assertThrows(
      () => backend.adam({ ...args, rows: new Int32Array([1, 4]) }),
      RangeError,
      "Cannot adam: p is (6, 7) and rows has 2 indices, but g is (3, 7)",
    );
    assertThrows(
      () => backend.adam({ ...args, rows: new Int32Array([1, 5, 4]) }),
      RangeError,
      "Cannot adam: rows must increase but found 4 after 5 at index 2",
    );
    assertThrows(
      () => backend.adam({ ...args, rows: new Int32Array([1, 4, 6]) }),
      RangeError,
      "Cannot adam: rows must be from 0 to 5 but found 6 at index 2",
    );
  },
);

testEachBackend("adam() throws a RangeError naming the shapes, overlaps and step", (backend) => {
  const z = () => new Matrix(2, 3);
  const args = {
    p: z(),
    g: z(),
    m: z(),
    v: z(),
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    step: 1,
  };
  assertThrows(
    () => backend.adam({ ...args, g: new Matrix(3, 2) }),
    RangeError,
    "Cannot adam: p is (2, 3) but g is (3, 2)",
  );
  assertThrows(
    () => backend.adam({ ...args, m: new Matrix(1, 3) }),
    RangeError,
    "Cannot adam: p is (2, 3) but m is (1, 3)",
  );
  assertThrows(
    () => backend.adam({ ...args, v: new Matrix(2, 2) }),
    RangeError,
    "Cannot adam: p is (2, 3) but v is (2, 2)",
  );
  assertThrows(
    () => backend.adam({ ...args, g: args.p }),
    RangeError,
    "Cannot adam: g (2, 3) overlaps p (2, 3)",
  );
  const both = new Matrix(3, 3); // m and v as views sharing a row
  assertThrows(
    () => backend.adam({ ...args, m: both.sliceRows(0, 2), v: both.sliceRows(1, 3) }),
    RangeError,
    "Cannot adam: v (2, 3) overlaps m (2, 3)",
  );
  for (const step of [0, 1.5, -1, NaN]) {
    assertThrows(
      () => backend.adam({ ...args, step }),
      RangeError,
      `Cannot adam: step must be a positive integer but found ${step}`,
    );
  }
});

// ---------------------------------------------------------------------------------------------
// column compaction

testEachBackend("nonzeroColumns() lists the columns holding a nonzero", (backend) => {
  const x = m([[0, 1, 0, 0, -2], [0, 0, 0, 3, 0]]);
  assertEquals(backend.nonzeroColumns({ x }), Int32Array.of(1, 3, 4));
  assertEquals(backend.nonzeroColumns({ x: new Matrix(3, 4) }), new Int32Array(0));
  assertEquals(backend.nonzeroColumns({ x: new Matrix(0, 4) }), new Int32Array(0));
});

testEachBackend("gatherColumns(), gatherRows() and scatterRows() move by index", (backend) => {
  const x = m([[1, 2, 3], [4, 5, 6]]);
  const columns = Int32Array.of(2, 0);
  assertEquals(backend.gatherColumns({ x, columns, out: new Matrix(2, 2) }).toArray(), [[3, 1], [
    6,
    4,
  ]]);
  const rows = Int32Array.of(1, 1, 0);
  assertEquals(backend.gatherRows({ x, rows, out: new Matrix(3, 3) }).toArray(), [
    [4, 5, 6],
    [4, 5, 6],
    [1, 2, 3],
  ]);
  const out = fullMatrix([4, 3], -1);
  backend.scatterRows({ x, rows: Int32Array.of(3, 0), out });
  assertEquals(out.toArray(), [[4, 5, 6], [-1, -1, -1], [-1, -1, -1], [1, 2, 3]]);
});

testEachBackend(
  "gatherColumns(), gatherRows() and scatterRows() check indices and shapes",
  (backend) => {
    const x = new Matrix(2, 3);
    assertThrows(
      () => backend.gatherColumns({ x, columns: Int32Array.of(0, 3), out: new Matrix(2, 2) }),
      RangeError,
      "Cannot gatherColumns: columns must be from 0 to 2 but found 3 at index 1",
    );
    assertThrows(
      () => backend.gatherColumns({ x, columns: Int32Array.of(0), out: new Matrix(2, 2) }),
      RangeError,
      "x is (2, 3) with 1 columns to take, so out must be (2, 1) but is (2, 2)",
    );
    assertThrows(
      () => backend.gatherRows({ x, rows: Int32Array.of(-1), out: new Matrix(1, 3) }),
      RangeError,
      "Cannot gatherRows: rows must be from 0 to 1 but found -1 at index 0",
    );
    assertThrows(
      () => backend.scatterRows({ x, rows: Int32Array.of(0, 5), out: new Matrix(4, 3) }),
      RangeError,
      "Cannot scatterRows: rows must be from 0 to 3 but found 5 at index 1",
    );
    assertThrows(
      () => backend.scatterRows({ x, rows: Int32Array.of(0, 1), out: new Matrix(4, 2) }),
      RangeError,
      "Cannot scatterRows: x is (2, 3)",
    );
  },
);

// ---------------------------------------------------------------------------------------------
// every backend against the js reference, on random inputs

type Case = { [K in keyof BackendPrimitives]: () => Parameters<BackendPrimitives[K]>[0] };

Deno.test("every primitive gives the js backend's result on every backend", () => {
  const random = new Random(4);
  const x = randomMatrix(random, [13, 7], { zeros: 0.4 });
  const positive = randomMatrix(random, [13, 7], { pixels: true });
  const columns = Int32Array.of(6, 0, 3), rows = Int32Array.of(12, 2, 5, 0);
  const cases: Case = {
    gemm: () => ({
      a: x,
      b: x,
      c: randomMatrix(new Random(5), [7, 7]),
      transA: true,
      alpha: 2,
      beta: 0.5,
    }),
    axpby: () => ({ alpha: -0.25, x, beta: 0.9, y: positive.clone() }),
    adam: () => ({
      p: positive.clone(),
      g: x,
      m: x.clone(),
      v: positive.clone(),
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      step: 3,
    }),
    nonzeroColumns: () => ({ x: x.sliceRows(0, 2) }),
    gatherColumns: () => ({ x, columns, out: new Matrix(13, 3) }),
    gatherRows: () => ({ x, rows, out: new Matrix(4, 7) }),
    scatterRows: () => ({ x: x.sliceRows(0, 4), rows, out: new Matrix(13, 7) }),
    biasActivation: () => ({ z: x.clone(), b: positive.sliceRows(0, 1), activation: "sigmoid" }),
    activationBackward: () => ({ dh: x.clone(), h: positive, activation: "sigmoid" }),
    softmaxCrossEntropy: () => ({
      o: x,
      labels: [...x.data.keys()].slice(0, 13).map((i) => i % 7),
      dO: null,
    }),
    columnSums: () => ({ x, out: new Matrix(1, 7) }),
  };
  for (const backend of BACKENDS) {
    for (const name of PRIMITIVE_NAMES) {
      const run = (b: Backend) => (b[name] as (args: unknown) => unknown)(cases[name]());
      const expected = run(jsBackend), actual = run(backend);
      if (expected instanceof Matrix) {
        assertMatrixClose(actual as Matrix, expected, 1e-5, `${name} on ${backend.name}`);
      } else if (name === "softmaxCrossEntropy") { // a float32 sum, in another order
        const [a, e] = [actual, expected] as { lossSum: number; correct: number }[];
        assertAlmostEquals(a.lossSum, e.lossSum, 1e-5 * e.lossSum, `${name} on ${backend.name}`);
        assertEquals(a.correct, e.correct, `${name} on ${backend.name}`);
      } else {
        assertEquals(actual, expected, `${name} on ${backend.name}`);
      }
    }
  }
});

/** A new (cols, rows) matrix with the elements of m transposed. */
function transposed(m: Matrix): Matrix {
  return Matrix.from(
    Array.from({ length: m.cols }, (_, j) => Array.from({ length: m.rows }, (_, i) => m.get(i, j))),
  );
}
