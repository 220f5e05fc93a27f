// Column compaction against the dense products it replaces (the reference).
import { assertEquals, assertGreater, assertLess, assertThrows } from "@std/assert";
import { compactColumns, compactedMatmul, compactedMatmulTransA } from "./compact_columns.ts";
import {
  assertMatrixClose,
  imageBatch,
  Matrix,
  Random,
  randomMatrix,
  testEachBackend,
} from "../_helpers.ts";
import { fullMatrix } from "../_helpers.ts";

testEachBackend("compactColumns() keeps exactly the columns holding a nonzero", (backend) => {
  const x = imageBatch(new Random(60), 50);
  const cx = compactColumns(x, { backend });
  assertEquals(cx.cols, 784);
  assertEquals(cx.values.shape, [50, cx.columns.length]);
  assertLess(cx.columns.length, 784 * 0.6); // the blank border columns are gone
  assertGreater(cx.columns.length, 0);
  for (let c = 0; c < cx.columns.length; c++) {
    for (let i = 0; i < 50; i++) assertEquals(cx.values.get(i, c), x.get(i, cx.columns[c]));
  }
});

testEachBackend("compactedMatmul() equals the dense X · W1", (backend) => {
  const random = new Random(61);
  const x = imageBatch(random, 50), w1 = randomMatrix(random, [784, 300]);
  const cx = compactColumns(x, { backend });
  const dense = backend.gemm({ a: x, b: w1, c: new Matrix(50, 300) });
  assertMatrixClose(compactedMatmul(cx, w1, { backend }), dense, 1e-5);
});

testEachBackend("compactedMatmulTransA() equals the dense Xᵀ · dK1", (backend) => {
  const random = new Random(62);
  const x = imageBatch(random, 50), dK1 = randomMatrix(random, [50, 300]);
  const cx = compactColumns(x, { backend });
  const out = fullMatrix([784, 300], 7); // every row overwritten, the skipped ones with zeros
  compactedMatmulTransA(cx, dK1, { backend, out });
  assertMatrixClose(
    out,
    backend.gemm({ a: x, b: dK1, c: new Matrix(784, 300), transA: true }),
    1e-5,
  );
});

testEachBackend("compactedMatmul() and TransA() handle an all-zero batch", (backend) => {
  const cx = compactColumns(new Matrix(3, 5), { backend });
  assertEquals(cx.columns.length, 0);
  assertEquals(compactedMatmul(cx, fullMatrix([5, 2], 1), { backend }).toArray(), [
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
  assertEquals(compactedMatmulTransA(cx, fullMatrix([3, 2], 1), { backend }).shape, [5, 2]);
});

testEachBackend("compactedMatmul() and TransA() throw naming both shapes", (backend) => {
  const cx = compactColumns(Matrix.from([[1, 0, 2]]), { backend });
  assertThrows(
    () => compactedMatmul(cx, new Matrix(4, 2), { backend }),
    RangeError,
    "Cannot compactedMatmul: X is (1, 3) but W is (4, 2)",
  );
  assertThrows(
    () => compactedMatmulTransA(cx, new Matrix(2, 2), { backend }),
    RangeError,
    "Cannot compactedMatmulTransA: X is (1, 3) but D is (2, 2)",
  );
});
