import { assertEquals, assertThrows } from "@std/assert";
import { gemmNaive } from "../../../lib/tensor/backends/js.ts";
import { matmul } from "./matmul.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix, testEachBackend } from "../_helpers.ts";

testEachBackend("matmul() multiplies with the transposes a layer needs", (backend) => {
  const random = new Random(20);
  const x = randomMatrix(random, [5, 4]), w = randomMatrix(random, [4, 3]);
  const dY = randomMatrix(random, [5, 3]);
  const ref = (
    a: Matrix,
    b: Matrix,
    transA: boolean,
    transB: boolean,
    rows: number,
    cols: number,
  ) => gemmNaive({ a, b, c: Matrix.zeros(rows, cols), transA, transB });
  assertMatrixClose(matmul(x, w, { backend }), ref(x, w, false, false, 5, 3));
  assertMatrixClose(matmul(dY, w, { backend, transB: true }), ref(dY, w, false, true, 5, 4));
  assertMatrixClose(matmul(x, dY, { backend, transA: true }), ref(x, dY, true, false, 4, 3));
});

testEachBackend("matmul() accumulates into out with beta", (backend) => {
  const a = Matrix.from([[1, 2]]), b = Matrix.from([[3], [4]]);
  const out = Matrix.from([[1]]);
  assertEquals(matmul(a, b, { backend, out, beta: 1 }).toArray(), [[12]]);
  assertEquals(matmul(a, b, { backend, out, alpha: 2 }).toArray(), [[22]]);
  // beta is ignored without out: a new matrix has nothing to accumulate
  assertEquals(matmul(a, b, { backend, beta: 5 }).toArray(), [[11]]);
});

testEachBackend("matmul() throws a RangeError naming both shapes", (backend) => {
  assertThrows(
    () => matmul(Matrix.zeros(50, 784), Matrix.zeros(300, 784), { backend }),
    RangeError,
    "Cannot gemm: op(A) is (50, 784) and op(B) is (300, 784): inner sizes 784 and 300 differ",
  );
  assertThrows(
    () => matmul(Matrix.zeros(2, 3), Matrix.zeros(3, 4), { backend, out: Matrix.zeros(4, 2) }),
    RangeError,
    "Cannot matmul: out must be (2, 4) but is (4, 2)",
  );
});
