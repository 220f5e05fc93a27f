// The fast js product against its naive reference: both accumulate in double precision, so they
// agree to float32 rounding of the result (relative 1e-6 of the largest element). And the Adam
// step against the loop it was taken from, bit for bit.
import { assertEquals } from "@std/assert";
import { PRIMITIVE_NAMES } from "../../../lib/tensor/backend.ts";
import { gemmNaive, jsBackend, jsPrimitives } from "../../../lib/tensor/backends/js.ts";
import { assertMatrixClose, imageBatch, Matrix, Random, randomMatrix } from "../_helpers.ts";
import { fullMatrix } from "../_helpers.ts";

Deno.test("jsBackend.gemm() matches gemmNaive() for every zero pattern and row length", () => {
  const random = new Random(10);
  // nonzero counts per row of op(A) from 0 to 9 exercise the four-at-a-time loop and its tail
  for (const zeros of [0, 0.5, 0.8, 1]) {
    for (const k of [1, 2, 3, 4, 5, 8, 9]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = randomMatrix(random, transA ? [k, 6] : [6, k], { zeros });
          const b = randomMatrix(random, transB ? [5, k] : [k, 5]);
          const c = randomMatrix(random, [6, 5]);
          const args = { a, b, transA, transB, alpha: 1.5, beta: 0.25 };
          assertMatrixClose(
            jsBackend.gemm({ ...args, c: c.clone() }),
            gemmNaive({ ...args, c: c.clone() }),
            1e-6,
            `zeros ${zeros} k ${k} transA ${transA} transB ${transB}`,
          );
        }
      }
    }
  }
});

Deno.test("jsBackend.gemm() matches gemmNaive() on an image batch, both products", () => {
  const random = new Random(11);
  const x = imageBatch(random, 20);
  const w = randomMatrix(random, [784, 30]);
  const d = randomMatrix(random, [20, 30]);
  assertMatrixClose(
    jsBackend.gemm({ a: x, b: w, c: new Matrix(20, 30) }),
    gemmNaive({ a: x, b: w, c: new Matrix(20, 30) }),
    1e-6,
  );
  assertMatrixClose(
    jsBackend.gemm({ a: x, b: d, c: new Matrix(784, 30), transA: true }),
    gemmNaive({ a: x, b: d, c: new Matrix(784, 30), transA: true }),
    1e-6,
  );
});

Deno.test("gemmNaive() is the textbook definition", () => {
  const a = Matrix.from([[1, 2], [3, 4]]), b = Matrix.from([[5, 6], [7, 8]]);
  assertEquals(gemmNaive({ a, b, c: new Matrix(2, 2) }).toArray(), [[19, 22], [43, 50]]);
  assertEquals(gemmNaive({ a, b, c: new Matrix(2, 2), transB: true }).toArray(), [
    [17, 23],
    [39, 53],
  ]);
  assertEquals(
    gemmNaive({ a, b, c: fullMatrix([2, 2], 1), alpha: 2, beta: -1 }).toArray(),
    [[37, 43], [85, 99]],
  );
});

Deno.test("jsBackend.adam() is, bit for bit, the loop Adam.step ran before adam was a primitive", () => {
  // the oracle: lib/nn/adam.ts's step at commit 32e2c9d, transcribed for one parameter
  function adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, t: number) {
    const b1 = 0.9, b2 = 0.999, epsilon = 1e-8, lr = 0.003;
    const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
    for (let k = 0; k < w.length; k++) {
      m[k] = b1 * m[k] + (1 - b1) * g[k];
      v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
      w[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
    }
  }
  const random = new Random(12);
  const p = randomMatrix(random, [30, 20]), m = new Matrix(30, 20), v = new Matrix(30, 20);
  const [w, mm, vv] = [p, m, v].map((x) => x.data.slice());
  for (let step = 1; step <= 4; step++) {
    const g = randomMatrix(random, [30, 20], { zeros: 0.2 });
    adamStep(w, g.data, mm, vv, step);
    jsBackend.adam({ p, g, m, v, lr: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step });
    assertEquals([p.data, m.data, v.data], [w, mm, vv], `step ${step}`);
  }
});

Deno.test("jsPrimitives holds every primitive, unchecked", () => {
  assertEquals(Object.keys(jsPrimitives).sort(), [...PRIMITIVE_NAMES].sort());
  assertEquals(jsBackend.name, "js");
});
