// Adam's first two steps on two weights, worked out by hand below (β₁ = 0.9, β₂ = 0.999,
// ε = 1e-8, lr 0.1), against the optimizer; its options checked; a schedule applied to it.
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Adam } from "../../lib/nn/adam.ts";
import { Matrix } from "../../lib/tensor/matrix.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";

/** No parameters: the schedule and option tests need none. */
const NONE = { weights: [], biases: [], backend: jsBackend };

Deno.test("Adam's first two steps equal the ones worked out by hand", () => {
  const p = Matrix.from([[1, -2]]);
  const adam = new Adam({ weights: [p], biases: [], backend: jsBackend }, { lr: 0.1 });
  // step 1, g = (0.5, −1): m = 0.1g = (0.05, −0.1), v = 0.001g² = (0.00025, 0.001);
  // m̂ = m/(1 − 0.9) = g, v̂ = v/(1 − 0.999) = g², so each weight moves by lr·g/|g| = ±0.1
  adam.step({ dW: [Matrix.from([[0.5, -1]])], db: [] });
  assertAlmostEquals(p.data[0], 0.9, 1e-6);
  assertAlmostEquals(p.data[1], -1.9, 1e-6);
  // step 2, g = (0.1, 0.2): m = 0.9·(0.05, −0.1) + 0.1·(0.1, 0.2) = (0.055, −0.07),
  // v = 0.999·(0.00025, 0.001) + 0.001·(0.01, 0.04) = (0.00025975, 0.001039);
  // m̂ = m/(1 − 0.81) = m/0.19, v̂ = v/(1 − 0.998001) = v/0.001999
  adam.step({ dW: [Matrix.from([[0.1, 0.2]])], db: [] });
  const move = (m: number, v: number) => 0.1 * (m / 0.19) / (Math.sqrt(v / 0.001999) + 1e-8);
  assertAlmostEquals(move(0.055, 0.00025975), 0.080305, 1e-5); // the arithmetic itself
  assertAlmostEquals(p.data[0], 0.9 - move(0.055, 0.00025975), 1e-6);
  assertAlmostEquals(p.data[1], -1.9 - move(-0.07, 0.001039), 1e-6);
  assertEquals(adam.steps, 2);
});

Deno.test("Adam follows its schedule: a linear schedule ends at rate 0", () => {
  const adam = new Adam(NONE, { lr: 0.01, schedule: "linear", totalSteps: 4 });
  assertEquals([0, 2, 4].map((t) => adam.learningRate(t)), [0.01, 0.005, 0]);
});

Deno.test("Adam() throws a RangeError naming a bad option and its value", () => {
  const cases: [ConstructorParameters<typeof Adam>[1], string][] = [
    [{ lr: -1 }, "Expected lr to be a finite number greater than 0 but found -1"],
    [{ lr: 0.1, beta1: 1 }, "Expected beta1 to be from 0 to below 1 but found 1"],
    [{ lr: 0.1, beta2: -0.5 }, "Expected beta2 to be from 0 to below 1 but found -0.5"],
    [{ lr: 0.1, epsilon: 0 }, "Expected epsilon to be a finite number greater than 0 but found 0"],
  ];
  for (const [options, message] of cases) {
    assertThrows(() => new Adam(NONE, options), RangeError, message);
  }
});
