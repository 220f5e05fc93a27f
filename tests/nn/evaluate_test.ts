// evaluate(): the loss and accuracy over a data set, batch by batch, equal those of one batch.
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { evaluate } from "../../lib/nn/evaluate.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { Matrix, smallMnist, testEachBackend } from "./_helpers.ts";

testEachBackend(
  "evaluate() gives the same loss and accuracy for any batch size",
  async (backend) => {
    const { eval: validation } = await smallMnist();
    const data = validation.head(230);
    const mlp = Mlp.init({ random: 1, backend });
    const X = new Float32Array(230 * 784), y = new Int32Array(230);
    data.gather(Array.from({ length: 230 }, (_, i) => i), X, y);
    const whole = mlp.evaluateBatch(new Matrix(230, 784, X), y);
    for (const batchSize of [1000, 230, 100, 7]) {
      const result = evaluate(mlp, data, { batchSize });
      assertEquals(result.count, 230);
      assertAlmostEquals(result.loss, whole.loss, 1e-5);
      assertAlmostEquals(result.accuracy, whole.correct / 230, 1e-12);
    }
  },
);

Deno.test("evaluate() throws a RangeError for a batch size below 1", async () => {
  const { eval: validation } = await smallMnist();
  const mlp = Mlp.init({ random: 1 });
  for (const batchSize of [0, 2.5]) {
    assertThrows(
      () => evaluate(mlp, validation, { batchSize }),
      RangeError,
      `Expected batchSize to be an integer of at least 1 but found ${batchSize}`,
    );
  }
});
