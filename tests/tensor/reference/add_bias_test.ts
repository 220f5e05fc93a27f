import { assertEquals, assertThrows } from "@std/assert";
import { addBias, addBiasBackward } from "./add_bias.ts";
import { Matrix } from "../_helpers.ts";

Deno.test("addBias() adds the bias to every row, in place too", () => {
  const x = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const b = Matrix.from([[0.5, -1, 0]]);
  assertEquals(addBias(x, b).toArray(), [[1.5, 1, 3], [4.5, 4, 6]]);
  addBias(x, b, { out: x });
  assertEquals(x.toArray(), [[1.5, 1, 3], [4.5, 4, 6]]);
});

Deno.test("addBias() throws naming both shapes", () => {
  assertThrows(
    () => addBias(new Matrix(50, 300), new Matrix(300, 1)),
    RangeError,
    "Cannot addBias: x is (50, 300) so b must be (1, 300) but is (300, 1)",
  );
});

Deno.test("addBiasBackward() sums the gradient over the batch", () => {
  const dY = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assertEquals(addBiasBackward(dY).toArray(), [[5, 7, 9]]);
  assertThrows(
    () => addBiasBackward(dY, { out: new Matrix(3, 1) }),
    RangeError,
    "Cannot addBiasBackward: out must be (1, 3) but is (3, 1)",
  );
});
