import { assertEquals, assertThrows } from "@std/assert";
import { addBias, addBiasBackward } from "../../../lib/tensor/ops/add_bias.ts";
import { Matrix, testEachBackend } from "../_helpers.ts";

testEachBackend("addBias() adds the bias to every row, in place too", (backend) => {
  const x = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const b = Matrix.from([[0.5, -1, 0]]);
  assertEquals(addBias(x, b, { backend }).toArray(), [[1.5, 1, 3], [4.5, 4, 6]]);
  addBias(x, b, { backend, out: x });
  assertEquals(x.toArray(), [[1.5, 1, 3], [4.5, 4, 6]]);
});

testEachBackend("addBias() throws naming both shapes", (backend) => {
  assertThrows(
    () => addBias(Matrix.zeros(50, 300), Matrix.zeros(300, 1), { backend }),
    RangeError,
    "Cannot addBias: x is (50, 300) so b must be (1, 300) but is (300, 1)",
  );
});

testEachBackend("addBiasBackward() sums the gradient over the batch", (backend) => {
  const dY = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assertEquals(addBiasBackward(dY, { backend }).toArray(), [[5, 7, 9]]);
  assertThrows(
    () => addBiasBackward(dY, { backend, out: Matrix.zeros(3, 1) }),
    RangeError,
    "Cannot addBiasBackward: out must be (1, 3) but is (3, 1)",
  );
});
