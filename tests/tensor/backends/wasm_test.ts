// The wasm backend's kernels against the js backend, the reference (gemmNaive for the product;
// _fused.ts, activation.ts and the Adam loop behind the elementwise primitives): random data,
// edge shapes and the MLP's, every transpose, with matrices in the module's memory (passed as
// they are) and ordinary ones (copied in and out). Tolerance: float32, max |difference| ≤ 1e-5 of
// the largest expected magnitude (RTOL), unless stated (Adam's, ADAM_RTOL). Also the exp
// approximation against Math.exp over [−88, 88], the allocator, and the loader's error when the
// kernels are not built.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { ACTIVATION_NAMES, type ActivationName } from "../../../lib/tensor/activation.ts";
import { gemmNaive, jsBackend } from "../../../lib/tensor/backends/js.ts";
import {
  BUILD_WASM_COMMAND,
  KERNELS_SOURCE_URL,
  kernelsBinaryUrl,
  kernelsHash,
  loadWasm,
  type WasmBackend,
} from "../../../lib/tensor/backends/wasm.ts";
import {
  assertMatrixClose,
  fullMatrix,
  imageBatch,
  Matrix,
  Random,
  randomMatrix,
} from "../_helpers.ts";

let wasm: WasmBackend | undefined, loadError: unknown;
try {
  wasm = loadWasm();
} catch (error) {
  loadError = error;
}
const ignore = wasm === undefined;

/** The backend, loaded (the tests using it are ignored when it is not). */
function backend(): WasmBackend {
  if (wasm === undefined) throw loadError;
  return wasm;
}

/** Where a test's matrices live: in the module's memory, or ordinary (copied for each call). */
type Placement = "memory" | "copied";
const PLACEMENTS: Placement[] = ["memory", "copied"];

/** A copy of x placed as asked. */
function place(x: Matrix, placement: Placement): Matrix {
  if (placement === "copied") return x.clone();
  const y = backend().matrix(x.rows, x.cols);
  y.data.set(x.data);
  return y;
}

Deno.test("loadWasm() loads the kernels built from the current kernels.wat", () => {
  const loaded = backend(); // throws the loader's error (naming the build command) if not built
  assertEquals(loaded.name, "wasm");
  assert(
    Deno.statSync(kernelsBinaryUrl(kernelsHash(Deno.readTextFileSync(KERNELS_SOURCE_URL))))
      .isFile,
  );
});

Deno.test("loadWasm() names the missing binary and the command that builds it", () => {
  const path = "/nonexistent/build/wasm/kernels-00000000.wasm";
  const error = assertThrows(() => loadWasm({ path }), Error);
  assertStringIncludes(error.message, path);
  assertStringIncludes(error.message, BUILD_WASM_COMMAND);
  assertStringIncludes(BUILD_WASM_COMMAND, "scripts/build_wasm.ts");
});

Deno.test("kernelsHash() is FNV-1a of the UTF-8 bytes", () => {
  assertEquals(kernelsHash(""), "811c9dc5");
  assertEquals(kernelsHash("a"), "e40c292c");
  assertEquals(kernelsHash("foobar"), "bf9cf968");
  assertEquals(kernelsHash("σ"), kernelsHash("\u03c3"));
  assert(kernelsHash("(module)") !== kernelsHash("(module) "));
});

// ---------------------------------------------------------------------------------------------
// gemm

const GEMM_SHAPES: [number, number, number][] = [ // (m, k, n)
  [1, 1, 1],
  [7, 13, 7],
  [13, 7, 1],
  [7, 0, 13], // an empty inner dimension: C ← beta · C
  [0, 5, 3],
  [3, 5, 0],
  [6, 8, 8], // one full tile
  [5, 3, 9],
  [12, 16, 16],
  [13, 17, 19],
  [50, 480, 300], // the MLP's, after compaction: X · W1
  [50, 784, 300],
  [10, 480, 300], // batch 10
  [50, 300, 10], // H · W2
  [50, 10, 300], // dK2 · W2ᵀ (transB)
  [480, 50, 300], // Xᵀ · dK1 (transA)
  [300, 50, 10], // Hᵀ · dK2 (transA)
];

const SCALES: { alpha: number; beta: number }[] = [
  { alpha: 1, beta: 0 }, // C filled with NaN first: it must not be read
  { alpha: -0.01, beta: 1 }, // the SGD step's form
  { alpha: 1.5, beta: 0.25 },
];

Deno.test({
  name: "wasm gemm() matches gemmNaive() for every shape, transpose, scale and placement",
  ignore,
  fn() {
    const random = new Random(1);
    for (const [m, k, n] of GEMM_SHAPES) {
      const big = m * k * n > 100_000;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const { alpha, beta } of SCALES) {
            // the big shapes once each (both placements), the small ones in every combination
            if (big && (alpha !== 1 || beta !== 0) && !(transA && beta === 1)) continue;
            const a = randomMatrix(random, transA ? [k, m] : [m, k], { zeros: 0.3 });
            const b = randomMatrix(random, transB ? [n, k] : [k, n]);
            const c = beta === 0 ? new Matrix(m, n) : randomMatrix(random, [m, n]);
            if (beta === 0) c.data.fill(NaN);
            const args = { transA, transB, alpha, beta };
            const expected = gemmNaive({ ...args, a, b, c: c.clone() });
            for (const placement of PLACEMENTS) {
              const actual = place(c, placement);
              backend().gemm({
                ...args,
                a: place(a, placement),
                b: place(b, placement),
                c: actual,
              });
              assertMatrixClose(
                actual,
                expected,
                undefined,
                `(m, k, n) (${m}, ${k}, ${n}) transA ${transA} transB ${transB} alpha ${alpha} ` +
                  `beta ${beta} ${placement}`,
              );
            }
          }
        }
      }
    }
  },
});

Deno.test({
  name: "wasm gemm() mixes matrices in memory and copied ones",
  ignore,
  fn() {
    const random = new Random(2);
    const a = randomMatrix(random, [9, 11]), b = randomMatrix(random, [11, 10]);
    const c = randomMatrix(random, [9, 10]);
    const expected = gemmNaive({ a, b, c: c.clone(), alpha: 2, beta: -1 });
    for (const placements of [["memory", "copied", "copied"], ["copied", "memory", "memory"]]) {
      const [pa, pb, pc] = placements as Placement[];
      const actual = place(c, pc);
      backend().gemm({ a: place(a, pa), b: place(b, pb), c: actual, alpha: 2, beta: -1 });
      assertMatrixClose(actual, expected, undefined, placements.join(", "));
    }
  },
});

// ---------------------------------------------------------------------------------------------
// the other primitives, against the js backend

const SHAPES: [number, number][] = [[1, 1], [7, 13], [3, 4], [2, 5], [50, 300], [50, 10], [0, 3]];

/** Runs `op` on the js backend and on wasm (each placement) with copies of `inputs`. */
function compare(
  name: string,
  inputs: Matrix[],
  op: (backend: WasmBackend | typeof jsBackend, matrices: Matrix[]) => void,
): void {
  const expected = inputs.map((x) => x.clone());
  op(jsBackend, expected);
  for (const placement of PLACEMENTS) {
    const actual = inputs.map((x) => place(x, placement));
    op(backend(), actual);
    actual.forEach((x, i) => assertMatrixClose(x, expected[i], undefined, `${name} ${placement}`));
  }
}

Deno.test({
  name: "wasm axpby() matches the js backend, x and y distinct or the same",
  ignore,
  fn() {
    const random = new Random(3);
    for (const [rows, cols] of SHAPES) {
      const x = randomMatrix(random, [rows, cols]), y = randomMatrix(random, [rows, cols]);
      compare(`axpby (${rows}, ${cols})`, [x, y], (on, [x, y]) => {
        on.axpby({ alpha: -0.1, x, beta: 0.9, y });
      });
      compare(`axpby x = y (${rows}, ${cols})`, [y], (on, [y]) => {
        on.axpby({ alpha: 2, x: y, beta: 1, y });
      });
    }
  },
});

/**
 * The Adam step's tolerances against the js backend. The kernel works in float32 where js works
 * in double (each result stored as float32 in both), so each step adds a few float32 roundings
 * (relative 6e-8 each) to m, v and the update. m is a sum of terms of either sign that may
 * cancel: its error is compared with the largest |g| so far; v, a sum of positive terms, with its
 * largest value. p's movement lr · m̂/(√v̂ + ε) carries those roundings (about 1e-6 · lr over five
 * steps) plus p's own rounding to float32 (an ulp of p, 1.5e-8 = 1.5e-5 · lr where |p| < 0.14):
 * compared absolutely, in units of lr. A wrong bias correction moves p by about 0.1 · lr at
 * the first steps, a wrong ε by about lr on the gradients of 1e-9 here.
 */
const ADAM_TOLERANCE = { m: 1e-6, v: 1e-6, p: 5e-5 };

/** The largest |x − y| over the elements. */
function maxDifference(x: Matrix, y: Matrix): number {
  let max = 0;
  for (let i = 0; i < x.size; i++) max = Math.max(max, Math.abs(x.data[i] - y.data[i]));
  return max;
}

/** The largest |x|. */
function maxAbs(x: Matrix): number {
  return x.data.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
}

Deno.test({
  name: "wasm adam() matches the js backend over several steps, in memory and copied",
  ignore,
  fn() {
    const random = new Random(9);
    const hyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const worst = { m: 0, v: 0, p: 0 };
    for (const [rows, cols] of [[1, 1], [1, 3], [2, 5], [7, 13], [784, 300], [300, 10], [0, 4]]) {
      const p0 = randomMatrix(random, [rows, cols]);
      for (let i = 0; i < p0.size; i++) p0.data[i] *= 0.03; // the weights' scale, N(0, 1/784)
      for (const placement of PLACEMENTS) {
        const js = { p: p0.clone(), m: new Matrix(rows, cols), v: new Matrix(rows, cols) };
        const wasm = {
          p: place(p0, placement),
          m: place(new Matrix(rows, cols), placement),
          v: place(new Matrix(rows, cols), placement),
        };
        let gMax = 0;
        for (let step = 1; step <= 5; step++) {
          // gradients of several scales, signs changing from step to step, zeros and tiny ones
          const g = randomMatrix(random, [rows, cols], { zeros: 0.1 });
          for (let i = 0; i < g.size; i++) g.data[i] *= [1, 1e-3, 10, 1e-9][i % 4];
          gMax = Math.max(gMax, maxAbs(g));
          jsBackend.adam({ ...js, g, ...hyper, step });
          backend().adam({ ...wasm, g: place(g, placement), ...hyper, step });
          const errors = {
            m: maxDifference(wasm.m, js.m) / (gMax || 1),
            v: maxDifference(wasm.v, js.v) / (maxAbs(js.v) || 1),
            p: maxDifference(wasm.p, js.p) / hyper.lr,
          };
          for (const key of ["m", "v", "p"] as const) {
            worst[key] = Math.max(worst[key], errors[key]);
            assert(
              errors[key] <= ADAM_TOLERANCE[key],
              `${key} (${rows}, ${cols}) ${placement} step ${step}: error ${errors[key]}`,
            );
          }
        }
      }
    }
    console.log(
      `adam: largest errors ${JSON.stringify(worst)} (tolerances ${
        JSON.stringify(ADAM_TOLERANCE)
      })`,
    );
  },
});

Deno.test({
  name: "wasm biasActivation() matches the js backend for every activation, saturated too",
  ignore,
  fn() {
    const random = new Random(4);
    for (const activation of [...ACTIVATION_NAMES, "none"] as (ActivationName | "none")[]) {
      for (const [rows, cols] of SHAPES) {
        const z = randomMatrix(random, [rows, cols]);
        for (let i = 0; i < z.size; i++) z.data[i] *= 4;
        // saturation, overflow of e^{±z}, and exact zeros
        [-200, -90, -20, 0, 20, 90, 200, -0].forEach((v, i) => i < z.size && (z.data[i] = v));
        const b = randomMatrix(random, [1, cols]);
        compare(`biasActivation ${activation} (${rows}, ${cols})`, [z, b], (on, [z, b]) => {
          on.biasActivation({ z, b, activation });
        });
      }
    }
  },
});

Deno.test({
  name: "wasm biasActivation() keeps small tanh and sigmoid values relatively accurate",
  ignore,
  fn() {
    const z = Matrix.from([[1e-4, -3e-3, 0.5, -0.62, 0.63, -5, -30, 2e-7]]);
    const b = new Matrix(1, z.cols);
    for (const activation of ["tanh", "sigmoid"] as const) {
      const expected = jsBackend.biasActivation({ z: z.clone(), b, activation });
      const actual = backend().biasActivation({ z: z.clone(), b, activation });
      for (let j = 0; j < z.cols; j++) {
        const e = expected.data[j], a = actual.data[j];
        assert(Math.abs(a - e) <= 4e-7 * Math.abs(e), `${activation}(${z.data[j]}): ${a} vs ${e}`);
      }
    }
  },
});

Deno.test({
  name: "wasm activationBackward() matches the js backend for every activation",
  ignore,
  fn() {
    const random = new Random(5);
    for (const activation of ACTIVATION_NAMES) {
      for (const [rows, cols] of SHAPES) {
        const h = randomMatrix(random, [rows, cols], { zeros: 0.2 });
        if (activation === "sigmoid") {
          for (let i = 0; i < h.size; i++) h.data[i] = random.uniform();
        }
        const dh = randomMatrix(random, [rows, cols]);
        compare(`activationBackward ${activation} (${rows}, ${cols})`, [dh, h], (on, [dh, h]) => {
          on.activationBackward({ dh, h, activation });
        });
      }
    }
  },
});

Deno.test({
  name: "wasm softmaxCrossEntropy() matches the js backend: loss, correct count and dO",
  ignore,
  fn() {
    const random = new Random(6);
    for (const [rows, cols] of [[1, 1], [7, 13], [3, 4], [50, 10], [10, 10], [4, 5], [0, 3]]) {
      const o = randomMatrix(random, [rows, cols]);
      for (let i = 0; i < o.size; i++) o.data[i] *= 5;
      // ties: the first largest logit counts
      if (rows > 1 && cols > 2) o.data[cols + 2] = o.data[cols] = 40;
      if (rows > 2 && cols > 3) o.data[2 * cols + 3] = -200;
      const labels = Array.from({ length: rows }, (_, i) => (i * 7) % cols);
      if (rows > 1) labels[1] = 0; // the first of the tied logits
      const expectedDO = new Matrix(rows, cols);
      const expected = jsBackend.softmaxCrossEntropy({ o, labels, dO: expectedDO });
      const lossOnly = backend().softmaxCrossEntropy({ o, labels, dO: null });
      const message = `(${rows}, ${cols})`;
      assertEquals(lossOnly.correct, expected.correct, message);
      assert(
        Math.abs(lossOnly.lossSum - expected.lossSum) <= 1e-5 * Math.max(1, expected.lossSum),
        `${message}: loss ${lossOnly.lossSum} vs ${expected.lossSum}`,
      );
      for (const placement of PLACEMENTS) {
        const dO = place(fullMatrix([rows, cols], NaN), placement);
        const int32 = Int32Array.from(labels);
        const actual = backend().softmaxCrossEntropy({
          o: place(o, placement),
          labels: placement === "memory" ? int32 : labels,
          dO,
        });
        assertEquals(actual.correct, expected.correct, message);
        assert(
          Math.abs(actual.lossSum - lossOnly.lossSum) <= 1e-12 * Math.max(1, expected.lossSum),
        );
        assertMatrixClose(dO, expectedDO, undefined, `${message} ${placement}`);
      }
    }
  },
});

Deno.test({
  name: "wasm softmaxCrossEntropy() keeps a label out of range within its own row",
  ignore,
  fn() {
    // the labels are the caller's to check; one out of range is clamped to the last class, so
    // the matrices placed just before and after o and dO in the memory stay untouched
    const wasm = backend();
    const [before, o, dO, after] = [[1, 64], [2, 3], [2, 3], [1, 64]].map(([r, c]) => {
      const x = wasm.matrix(r, c);
      x.data.fill(7);
      return x;
    });
    for (const labels of [[0, 3], [-1, 0], [0, 1 << 30], [-(1 << 30), 2]]) {
      dO.data.fill(0);
      const result = wasm.softmaxCrossEntropy({ o, labels: Int32Array.from(labels), dO });
      assert(Number.isFinite(result.lossSum), `labels ${labels}`);
      assert(before.data.every((x) => x === 7) && after.data.every((x) => x === 7));
      assert(o.data.every((x) => x === 7), `labels ${labels}: o changed`);
    }
    [before, o, dO, after].forEach((x) => wasm.free(x));
  },
});

Deno.test({
  name: "wasm columnSums() matches the js backend",
  ignore,
  fn() {
    const random = new Random(7);
    for (const [rows, cols] of [...SHAPES, [0, 0] as [number, number]]) {
      const x = randomMatrix(random, [rows, cols]);
      const out = fullMatrix([1, cols], NaN);
      compare(`columnSums (${rows}, ${cols})`, [x, out], (on, [x, out]) => {
        on.columnSums({ x, out });
      });
    }
  },
});

Deno.test({
  name: "wasm column compaction and row copies match the js backend",
  ignore,
  fn() {
    const random = new Random(8);
    const batches = [
      imageBatch(random, 50),
      imageBatch(random, 7),
      randomMatrix(random, [5, 13], { zeros: 0.7 }),
      new Matrix(3, 6),
      Matrix.from([[-0, 0, 1e-45, 0, 0, 0, 0, 2]]), // −0 and a subnormal count as nonzero
    ];
    for (const x of batches) {
      for (const placement of PLACEMENTS) {
        const columns = backend().nonzeroColumns({ x: place(x, placement) });
        const expected = jsBackend.nonzeroColumns({ x });
        assertEquals(Array.from(columns), Array.from(expected), `(${x.rows}, ${x.cols})`);
        const out = place(fullMatrix([x.rows, columns.length], NaN), placement);
        backend().gatherColumns({ x: place(x, placement), columns, out });
        assertMatrixClose(
          out,
          jsBackend.gatherColumns({ x, columns, out: new Matrix(x.rows, columns.length) }),
        );
      }
    }
    const x = randomMatrix(random, [9, 7]);
    const rows = Int32Array.from([4, 5, 6, 0, 8, 2]); // runs and single rows
    for (const placement of PLACEMENTS) {
      const gathered = place(fullMatrix([6, 7], NaN), placement);
      backend().gatherRows({ x: place(x, placement), rows, out: gathered });
      assertMatrixClose(gathered, jsBackend.gatherRows({ x, rows, out: new Matrix(6, 7) }));
      const before = randomMatrix(random, [9, 7]);
      const scattered = place(before, placement);
      backend().scatterRows({ x: gathered, rows, out: scattered });
      assertMatrixClose(
        scattered,
        jsBackend.scatterRows({ x: gathered.clone(), rows, out: before.clone() }),
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------
// exp, the allocator

/** The bound stated in kernels.wat for the relative error of its exp over [−88, 88]. */
const EXP_BOUND = 2.5e-7;

Deno.test({
  name: "wasm exp is within its stated relative error of Math.exp over [-88, 88]",
  ignore,
  fn() {
    const wasm = backend();
    const count = (1 << 20) + 1;
    const x = wasm.matrix(1, count);
    for (let i = 0; i < count; i++) x.data[i] = -88 + 176 * i / (count - 1);
    const inputs = x.data.slice();
    (wasm.instance.exports.exp as (x: number, n: number) => void)(x.data.byteOffset, count);
    let worst = 0, at = 0, worstNormal = 0; // normal: e^x ≥ 2^−126, that is x ≥ −87.34
    for (let i = 0; i < count; i++) {
      const exact = Math.exp(inputs[i]);
      const error = Math.abs(x.data[i] - exact) / exact;
      if (!(error <= worst)) [worst, at] = [error, inputs[i]];
      if (exact >= 2 ** -126) worstNormal = Math.max(worstNormal, error);
    }
    console.log(
      `exp: max relative error ${worst.toExponential(2)} (at x = ${at}), ` +
        `${worstNormal.toExponential(2)} where e^x is a normal float32`,
    );
    assert(worst <= EXP_BOUND, `max relative error ${worst} at x = ${at}`);
    // the edges: overflow, underflow, NaN, and exact values
    const edges = [0, -0, 1, -1, 88.72, 89, 1000, Infinity, -103, -104, -1000, -Infinity, NaN];
    const y = wasm.matrix(1, edges.length);
    y.data.set(edges);
    (wasm.instance.exports.exp as (x: number, n: number) => void)(y.data.byteOffset, edges.length);
    const expected = Float32Array.from(edges, Math.exp);
    assertEquals(Array.from(y.data.subarray(0, 2)), [1, 1]);
    for (const i of [5, 6, 7]) assertEquals(y.data[i], Infinity); // e^89 > 3.4e38
    for (const i of [10, 11]) assertEquals(y.data[i], 0);
    assert(Number.isNaN(y.data[12]));
    for (const i of [2, 3, 4]) {
      const exact = Math.exp(Math.fround(edges[i]));
      const error = Math.abs(y.data[i] - exact) / exact;
      assert(error <= EXP_BOUND, `exp(${edges[i]}): ${y.data[i]}`);
    }
    for (const i of [8, 9]) { // e^−103, e^−104: the smallest subnormals, within one of their steps
      assert(Math.abs(y.data[i] - expected[i]) <= 2 ** -149, `exp(${edges[i]}): ${y.data[i]}`);
    }
    wasm.free(x);
    wasm.free(y);
  },
});

Deno.test({
  name: "wasm matrix() gives zeroed, aligned blocks of the memory that free() returns",
  ignore,
  fn() {
    const wasm = backend();
    const a = wasm.matrix(3, 5);
    assert(wasm.owns(a.data) && a.data.byteOffset % 64 === 0);
    assertEquals(Array.from(a.data), new Array(15).fill(0));
    a.data.fill(7);
    wasm.free(a);
    assertThrows(() => wasm.free(a), RangeError, "not yet freed");
    assertThrows(() => wasm.free(new Matrix(1, 1)), RangeError, "outside the module's memory");
    const b = wasm.matrix(5, 3); // the same size: reuses the block, zeroed again
    assertEquals(Array.from(b.data), new Array(15).fill(0));
    const empty = wasm.matrix(0, 4);
    assertEquals(empty.shape, [0, 4]);
    wasm.free(empty);
    assertThrows(() => wasm.matrix(-1, 2), RangeError);
    // growing the memory keeps the older views valid, and in memory (no copies)
    b.data.set([1, 2, 3]);
    const before = wasm.memory.buffer.byteLength;
    // more floats than the whole memory holds, so no freed block can take it, whatever the tests
    // before this one left (the module is one per process) and whenever their matrices were freed
    const big = wasm.matrix(1, before / 4 + 1);
    assert(wasm.memory.buffer.byteLength > before);
    assert(wasm.owns(b.data) && wasm.owns(big.data));
    assertEquals(Array.from(b.data.subarray(0, 3)), [1, 2, 3]);
    const c = wasm.matrix(3, 3);
    wasm.gemm({ a: b, b: b, c, transA: true });
    assertMatrixClose(c, gemmNaive({ a: b, b: b, c: new Matrix(3, 3), transA: true }));
    wasm.free(b);
    wasm.free(big);
    wasm.free(c);
    assertThrows(() => wasm.free(wasm.matrix(4, 4).sliceRows(0, 2)), RangeError, "not yet freed");
  },
});

Deno.test({
  name: "wasm matrix() blocks go back to the allocator once their data is garbage, not before",
  ignore,
  async fn() {
    // 300 matrices of 1 MB made and dropped one after another, collected as they go: the memory
    // stays far below 300 MB; a sliceRows view keeps its block (no other matrix is placed there)
    const module = new URL("../../../lib/tensor/backends/wasm.ts", import.meta.url).href;
    const code = `import { loadWasm } from "${module}";
      const wasm = loadWasm();
      const view = wasm.matrix(512, 512).sliceRows(0, 1);
      view.data.fill(3);
      for (let i = 0; i < 300; i++) {
        wasm.matrix(512, 512).data.fill(1);
        if (i % 10 === 0) { globalThis.gc(); await new Promise((r) => setTimeout(r, 0)); }
      }
      console.log(wasm.memory.buffer.byteLength / 2 ** 20, view.data.every((v) => v === 3));`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--v8-flags=--expose-gc", code],
      stderr: "inherit",
    }).output();
    const [megabytes, kept] = new TextDecoder().decode(output.stdout).trim().split(" ");
    assert(Number(megabytes) < 64, `the memory grew to ${megabytes} MB`);
    assertEquals(kept, "true");
  },
});
