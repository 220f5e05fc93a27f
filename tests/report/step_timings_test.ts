// The timing table of notebook 04: its rows, their order, and that the networks timed are clones.
import { assert, assertEquals } from "@std/assert";
import { stepTimings } from "../../lib/report/step_timings.ts";
import { Mlp } from "../../lib/nn/mlp.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";
import { jsBackend, jsPrimitives } from "../../lib/tensor/backends/js.ts";
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
  const backends = [jsBackend, defineBackend("other", jsPrimitives)];
  const options = { backends, batchSize: 4, numSingle: 8, numScalar: 8, repeats: 2 };
  const rows = stepTimings(setup(8), options);
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
  const options = { backends: [jsBackend], batchSize: 3, numSingle: 6, numScalar: 6, repeats: 1 };
  stepTimings(data, options);
  data.mlp.weights.forEach((m, l) => assertEquals(m.data, weights[l]));
  assertEquals(data.scalar.W, scalarW.W);
});
