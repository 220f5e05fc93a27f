import { assertAlmostEquals, assertEquals } from "@std/assert";
import { flatUnits } from "../../lib/nn/flat_units.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { Matrix } from "../../lib/tensor/matrix.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import type { ActivationName } from "../../lib/tensor/activation.ts";

/** A 1-n-1 network whose hidden unit j computes k = w_j·x + b_j. */
function oneInput(w: number[], b: number[], activation: ActivationName): Mlp {
  return new Mlp({
    weights: [Matrix.from([w]), Matrix.from(w.map(() => [1]))],
    biases: [Matrix.from([b]), Matrix.from([[0]])],
  }, { activations: activation, backend: jsBackend });
}
const four = Matrix.from([[1], [2], [3], [-1]]);

Deno.test("flatUnits() counts a sigmoid unit flat when f′ < 0.01 on more than half the probe", () => {
  // unit 0: k = 10x − 15 is −5, 5, 15, −25: flat (σ′ < 0.01 beyond |k| ≈ 4.6) on all four
  // unit 1: k = 10x − 25 is −15, −5, 5, −35: flat on all four
  // unit 2: k = x is 1, 2, 3, −1: never flat
  // unit 3: k = 5x − 7.5 is −2.5, 2.5, 7.5, −12.5: flat on two of four, not more than half
  // unit 4: k = 6x − 10 is −4, 2, 8, −16 (σ′(−4) = 0.018): flat on two of four
  const mlp = oneInput([10, 10, 1, 5, 6], [-15, -25, 0, -7.5, -10], "sigmoid");
  const [layer] = flatUnits(mlp, four);
  assertEquals(layer.layer, 0);
  assertEquals(layer.activation, "sigmoid");
  assertEquals(layer.units, 2 / 5);
  assertEquals(layer.values, (4 + 4 + 0 + 2 + 2) / 20);
});

Deno.test("flatUnits() counts a ReLU unit flat only when it is 0 on every probe image", () => {
  // unit 0: k = −x − 5 < 0 on all four: dead; unit 1: k = x − 2.5 > 0 on one image: alive
  const mlp = oneInput([-1, 1], [-5, -2.5], "relu");
  const [layer] = flatUnits(mlp, four);
  assertEquals(layer.units, 1 / 2);
  assertEquals(layer.values, (4 + 3) / 8);
});

Deno.test("flatUnits() reads the threshold option and measures tanh from its own slope", () => {
  // k = 2x: 2, 4, 6, −2; tanh′ = 1 − tanh² is 0.071, 0.0013, 0.00002, 0.071
  const mlp = oneInput([2], [0], "tanh");
  assertEquals(flatUnits(mlp, four)[0].values, 2 / 4);
  assertEquals(flatUnits(mlp, four, { threshold: 0.1 })[0].values, 1);
  assertEquals(flatUnits(mlp, four, { threshold: 0.001 })[0].values, 1 / 4);
});

Deno.test("flatUnits() measures every hidden layer from the outputs of the one below", () => {
  // 1-1-1-1: h1 = relu(x − 2) is 0, 0, 1, 0; h2 = sigmoid(10·h1 − 20) is flat where h1 = 0
  const mlp = new Mlp({
    weights: [Matrix.from([[1]]), Matrix.from([[10]]), Matrix.from([[1]])],
    biases: [Matrix.from([[-2]]), Matrix.from([[-20]]), Matrix.from([[0]])],
  }, { activations: ["relu", "sigmoid"], backend: jsBackend });
  const [first, second] = flatUnits(mlp, four);
  assertEquals([first.layer, first.activation, first.values, first.units], [0, "relu", 3 / 4, 0]);
  assertEquals([second.layer, second.activation, second.units], [1, "sigmoid", 1]);
  // σ(−10) at h1 = 1 has σ′ = 4.5e-5: flat too
  assertAlmostEquals(second.values, 1);
});
