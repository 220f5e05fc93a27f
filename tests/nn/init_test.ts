// Weight initialisation: the sample statistics of each rule over a 784 × 300 layer, seeding, and
// the layers of Mlp.init. With 235,200 draws the sample variance is within 2% of the true one
// with overwhelming probability (its relative standard error is √(2/n) ≈ 0.3%).
import {
  assertAlmostEquals,
  assertEquals,
  assertLess,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { INIT_NAMES, type InitName, initWeights } from "../../lib/nn/init.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import type { Matrix } from "../../lib/tensor/matrix.ts";
import { BACKENDS } from "./_helpers.ts";

function moments(W: Matrix): { mean: number; variance: number } {
  let sum = 0, squares = 0;
  for (const w of W.data) sum += w;
  const mean = sum / W.size;
  for (const w of W.data) squares += (w - mean) ** 2;
  return { mean, variance: squares / (W.size - 1) };
}

const cases: { init: InitName; mean: number; variance: number }[] = [
  { init: "fanIn", mean: 0, variance: 1 / 784 },
  { init: "glorot", mean: 0, variance: 2 / (784 + 300) },
  { init: "he", mean: 0, variance: 2 / 784 },
  { init: "seedReport", mean: 1, variance: 1 },
  { init: "standardNormal", mean: 0, variance: 1 },
];

for (const { init, mean, variance } of cases) {
  Deno.test(`initWeights() "${init}" draws mean ${mean} and variance ${variance.toPrecision(3)}`, () => {
    const W = initWeights([784, 300], { init, random: 1 });
    assertEquals(W.shape, [784, 300]);
    const sample = moments(W);
    // the mean within 5 standard errors, the variance within 2%
    assertAlmostEquals(sample.mean, mean, 5 * Math.sqrt(variance / W.size));
    assertAlmostEquals(sample.variance / variance, 1, 0.02);
  });
}

Deno.test("initWeights() defaults to fanIn and draws the same weights for the same seed", () => {
  const a = initWeights([50, 20], { random: 3 });
  assertEquals(a.data, initWeights([50, 20], { init: "fanIn", random: 3 }).data);
  assertNotEquals(a.data, initWeights([50, 20], { random: 4 }).data);
});

Deno.test("initWeights() throws a RangeError naming an unknown init", () => {
  assertThrows(
    () => initWeights([2, 2], { init: "zeros" as InitName, random: 0 }),
    RangeError,
    "Expected init to be one of fanIn, glorot, he, seedReport, standardNormal but found zeros",
  );
  assertEquals(INIT_NAMES, ["fanIn", "glorot", "he", "seedReport", "standardNormal"]);
});

Deno.test("Mlp.init() scales each layer by its own fan-in and starts the biases at 0", () => {
  const mlp = Mlp.init({ sizes: [784, 300, 100, 10], random: 5, backend: jsBackend });
  mlp.weights.forEach((W, l) => {
    const { variance } = moments(W);
    assertAlmostEquals(variance * mlp.sizes[l], 1, l < 2 ? 0.03 : 0.2); // 1000 draws in W_2
  });
  for (const b of mlp.biases) assertEquals(b.data.every((v) => v === 0), true);
});

Deno.test("Mlp.init() draws the same network for the same seed on every backend", () => {
  const reference = Mlp.init({ random: 7, backend: jsBackend, init: "glorot" });
  for (const backend of BACKENDS) {
    const mlp = Mlp.init({ random: 7, backend, init: "glorot" });
    mlp.weights.forEach((W, l) => assertEquals(W.data, reference.weights[l].data));
  }
  const { variance } = moments(reference.weights[0]);
  assertLess(Math.abs(variance * (784 + 300) / 2 - 1), 0.02);
});
