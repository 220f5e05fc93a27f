import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertThrows,
} from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";

// the Q3 network and its expected values (DESIGN.md, "Facts to build on")
function q3(): ScalarNetwork {
  return new ScalarNetwork({
    W: [[1, 1, 1], [-1, -1, -1]],
    b: [0, 0, 0],
    V: [[1, 1], [-1, -1], [-1, -1]],
    c: [0, 0],
  });
}
const Q3_X = [1, -1];
const Q3_TARGET = 0;
const SIGMOID_2 = 1 / (1 + Math.exp(-2));
const Q3_DV_ROW = 0.44039853898894116;

function assertAllClose(actual: number[] | number[][], expected: number[] | number[][]): void {
  assertLess(maxAbsDifference(actual, expected), 1e-12, `${actual} vs ${expected}`);
}

Deno.test("ScalarNetwork.forward() gives the Q3 values: k = 2, h = σ(2), y = (½, ½), loss = ln 2", () => {
  const pass = q3().forward(Q3_X, Q3_TARGET);
  assertAllClose(pass.k, [2, 2, 2]);
  assertAllClose(pass.h, [SIGMOID_2, SIGMOID_2, SIGMOID_2]);
  assertAlmostEquals(SIGMOID_2, 0.8807970779778823, 1e-15);
  assertAllClose(pass.o, [-SIGMOID_2, -SIGMOID_2]);
  assertAllClose(pass.y, [0.5, 0.5]);
  assertAlmostEquals(pass.loss, Math.LN2, 1e-12);
});

Deno.test("ScalarNetwork.backward() gives the Q3 derivatives of every weight and bias", () => {
  const net = q3();
  const grads = net.backward(net.forward(Q3_X, Q3_TARGET));
  assertAllClose(grads.dW, [[0, 0, 0], [0, 0, 0]]);
  assertAllClose(grads.db, [0, 0, 0]);
  assertAllClose(grads.dV, [[-Q3_DV_ROW, Q3_DV_ROW], [-Q3_DV_ROW, Q3_DV_ROW], [
    -Q3_DV_ROW,
    Q3_DV_ROW,
  ]]);
  assertAllClose(grads.dc, [-0.5, 0.5]);
  assertAllClose(grads.do, [-0.5, 0.5]);
  assertAllClose(grads.dy, [-2, 0]);
  // the first layer's gradients are exactly zero, not merely small
  assertEquals(grads.dh, [0, 0, 0]);
  assertEquals(grads.dk, [0, 0, 0]);
  assertEquals(grads.dW, [[0, 0, 0], [0, 0, 0]]);
  assertEquals(grads.db, [0, 0, 0]);
});

const SIZES = [
  { numInputs: 1, numHiddens: 1, numOutputs: 2 },
  { numInputs: 2, numHiddens: 3, numOutputs: 2 },
  { numInputs: 4, numHiddens: 5, numOutputs: 3 },
  { numInputs: 7, numHiddens: 2, numOutputs: 6 },
  { numInputs: 10, numHiddens: 8, numOutputs: 10 },
];

Deno.test("ScalarNetwork.backward() agrees with central differences on every parameter of random networks", () => {
  const random = new Random(2024);
  for (const sizes of SIZES) {
    for (let trial = 0; trial < 3; trial++) {
      const net = ScalarNetwork.init(sizes, random, { std: 1.5 });
      net.b.forEach((_, j) => net.b[j] = random.normal());
      net.c.forEach((_, j) => net.c[j] = random.normal());
      const x = Array.from({ length: sizes.numInputs }, () => random.normal(0, 2));
      const target = random.integer(sizes.numOutputs);
      const grads = net.backward(net.forward(x, target));
      const loss = () => net.forward(x, target).loss;
      const numerical = {
        dW: centralDifference(loss, net.W),
        db: centralDifference(loss, net.b),
        dV: centralDifference(loss, net.V),
        dc: centralDifference(loss, net.c),
      };
      for (const name of ["dW", "db", "dV", "dc"] as const) {
        const error = maxAbsDifference(grads[name], numerical[name]);
        assertLess(error, 1e-8, `${name} of ${JSON.stringify(sizes)}: max error ${error}`);
      }
    }
  }
});

Deno.test("ScalarNetwork.backward() gives the same gradients on the fused and the module-by-module path", () => {
  const random = new Random(5);
  for (const sizes of SIZES) {
    const net = ScalarNetwork.init(sizes, random, { std: 2 });
    const x = Array.from({ length: sizes.numInputs }, () => random.normal(0, 2));
    const pass = net.forward(x, random.integer(sizes.numOutputs));
    const fused = net.backward(pass);
    const modules = net.backward(pass, { path: "modules" });
    for (const name of ["do", "dh", "dk", "dc", "db"] as const) {
      assertLess(maxAbsDifference(fused[name], modules[name]), 1e-12, name);
    }
    for (const name of ["dW", "dV"] as const) {
      assertLess(maxAbsDifference(fused[name], modules[name]), 1e-12, name);
    }
  }
});

Deno.test("ScalarNetwork.forward() and backward() stay finite for logits of ±1000", () => {
  const net = new ScalarNetwork({ W: [[0]], b: [0], V: [[0, 0]], c: [1000, -1000] });
  const pass = net.forward([1], 1);
  assertEquals(pass.o, [1000, -1000]);
  assertEquals(pass.y, [1, 0]);
  assertEquals(pass.loss, 2000);
  const grads = net.backward(pass);
  assertEquals(grads.do, [1, -1]);
  assertEquals(grads.dc, [1, -1]);
  assertEquals(grads.dy, [0, -Infinity]);
  // the module-by-module path breaks here: 0 × ∞
  assertEquals(Number.isNaN(net.backward(pass, { path: "modules" }).do[1]), true);
});

Deno.test("ScalarNetwork.forward() throws a RangeError for a target out of range or not an integer", () => {
  const net = q3();
  assertThrows(
    () => net.forward(Q3_X, 2),
    RangeError,
    "Expected target to be an integer from 0 to 1 but found 2",
  );
  assertThrows(
    () => net.forward(Q3_X, 2.5),
    RangeError,
    "Expected target to be an integer from 0 to 1 but found 2.5",
  );
  assertThrows(() => net.forward(Q3_X, -1), RangeError, "but found -1");
  assertThrows(() => net.forward(Q3_X, 0.5), RangeError, "but found 0.5");
  assertThrows(() => net.forward(Q3_X, NaN), RangeError, "but found NaN");
});

Deno.test("ScalarNetwork.forward() throws a TypeError for an input of the wrong length", () => {
  assertThrows(
    () => q3().forward([1, 2, 3], 0),
    TypeError,
    "Expected x to have 2 entries (numInputs) but found 3",
  );
});

Deno.test("ScalarNetwork() throws a TypeError for weights of mismatched shapes", () => {
  assertThrows(
    () => new ScalarNetwork({ W: [[1, 1], [1]], b: [0, 0], V: [[1], [1]], c: [0] }),
    TypeError,
    "Expected W to be a 2 × 2 matrix",
  );
  assertThrows(
    () => new ScalarNetwork({ W: [[1, 1]], b: [0, 0], V: [[1]], c: [0] }),
    TypeError,
    "Expected V to be a 2 × 1 matrix",
  );
});

Deno.test("ScalarNetwork() copies the given weights", () => {
  const W = [[1, 2]];
  const net = new ScalarNetwork({ W, b: [0, 0], V: [[1], [1]], c: [0] });
  W[0][0] = 5;
  assertEquals(net.W, [[1, 2]]);
  const copy = net.clone();
  assert(copy.W !== net.W && copy.W[0] !== net.W[0]);
  assertEquals(copy, net);
});

Deno.test("ScalarNetwork.init() draws zero-mean weights with std 1/√fan_in and zero biases", () => {
  const sizes = { numInputs: 400, numHiddens: 100, numOutputs: 50 };
  const net = ScalarNetwork.init(sizes, new Random(3));
  assertEquals([net.numInputs, net.numHiddens, net.numOutputs], [400, 100, 50]);
  const stats = (m: number[][]) => {
    const all = m.flat();
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const variance = all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length;
    return { mean, std: Math.sqrt(variance) };
  };
  const w = stats(net.W);
  const v = stats(net.V);
  assertLess(Math.abs(w.mean), 0.002);
  assertAlmostEquals(w.std, 1 / 20, 0.002);
  assertLess(Math.abs(v.mean), 0.01);
  assertAlmostEquals(v.std, 1 / 10, 0.005);
  assertEquals(net.b.every((x) => x === 0) && net.c.every((x) => x === 0), true);
  assertEquals(ScalarNetwork.init(sizes, 3), net);
  assertAlmostEquals(stats(ScalarNetwork.init(sizes, 3, { std: 2 }).W).std, 2, 0.05);
});

Deno.test("ScalarNetwork.init() throws a RangeError for a size that is not an integer of at least 1", () => {
  assertThrows(
    () => ScalarNetwork.init({ numInputs: 2, numHiddens: 0, numOutputs: 2 }, 1),
    RangeError,
    "Expected numHiddens to be an integer of at least 1 but found 0",
  );
});

Deno.test("ScalarNetwork.sgdStep() moves every parameter against its gradient and lowers the loss", () => {
  const net = q3();
  const before = net.forward(Q3_X, Q3_TARGET).loss;
  const grads = net.backward(net.forward(Q3_X, Q3_TARGET));
  net.sgdStep(grads, 0.1);
  assertAllClose(net.c, [0.05, -0.05]);
  assertAllClose(net.V[0], [1 + 0.1 * Q3_DV_ROW, 1 - 0.1 * Q3_DV_ROW]);
  assertEquals(net.W, [[1, 1, 1], [-1, -1, -1]]);
  assertGreater(before, net.forward(Q3_X, Q3_TARGET).loss);
  assertThrows(() => net.sgdStep(grads, -1), RangeError, "Expected lr to be");
});
