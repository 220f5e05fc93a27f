// The timing table of notebook 04: its rows, their order, that the networks timed are clones, and
// its checks of the examples given.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { stepTimings } from "../../lib/report/step_timings.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { jsPrimitives } from "../../lib/tensor/backends/js.ts";
import { defineBackend } from "../../lib/tensor/backend.ts";
import { Random } from "../../lib/data/random.ts";

function setup(count: number) {
  const mlp = Mlp.init({ sizes: [6, 4, 3], random: 2, backend: jsBackend });
  const [W, V] = mlp.weights.map((m) => m.toArray());
  const scalar = new ScalarNetwork({ W, b: [0, 0, 0, 0], V, c: [0, 0, 0] });
  const random = new Random(3);
  const X = Float32Array.from(
    { length: count * 6 },
    () => (random.uniform() < 0.5 ? 0 : random.uniform()),
  );
  const y = Int32Array.from({ length: count }, () => random.integer(3));
  return { mlp, scalar, X, y };
}

Deno.test("stepTimings() gives the scalar row, then three rows per backend, in order", () => {
  const data = setup(8);
  const rows = stepTimings(data, {
    backends: [jsBackend, defineBackend("other", jsPrimitives)],
    batchSize: 4,
    repeats: 2,
  });
  assertEquals(rows.map((r) => [r.method, r.backend]), [
    ["scalar network, per instance", "plain loops (float64)"],
    ["per instance (B = 1), every pixel", "js"],
    ["per instance (B = 1)", "js"],
    ["batched (B = 4)", "js"],
    ["per instance (B = 1), every pixel", "other"],
    ["per instance (B = 1)", "other"],
    ["batched (B = 4)", "other"],
  ]);
  for (const r of rows) {
    assert(r.seconds > 0 && Number.isFinite(r.seconds), `${r.method}: ${r.seconds}`);
  }
});

Deno.test("stepTimings() steps clones, leaving the given networks' weights as they were", () => {
  const data = setup(6);
  const weights = data.mlp.weights.map((m) => m.data.slice());
  const scalarW = data.scalar.clone();
  stepTimings(data, { batchSize: 3, repeats: 1, lr: 1 });
  data.mlp.weights.forEach((m, l) => assertEquals(m.data, weights[l]));
  assertEquals(data.scalar.W, scalarW.W);
});

Deno.test("stepTimings() rejects too few examples and a wrong X with the values found", () => {
  const data = setup(4);
  assertThrows(
    () => stepTimings(data, { numSingle: 5 }),
    RangeError,
    "numSingle to be an integer from 1 to the 4 examples but found 5",
  );
  assertThrows(() => stepTimings(data, { batchSize: 8 }), RangeError, "one batch of 8 but found 4");
  assertThrows(
    () => stepTimings({ ...data, X: new Float32Array(5) }),
    RangeError,
    "4 rows of 6 inputs but found 5 values",
  );
});
