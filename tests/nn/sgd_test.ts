// The optimizer's learning-rate schedules and options.
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import type { ScheduleName } from "../../lib/nn/optimizer.ts";
import { Sgd, type SgdOptions } from "../../lib/nn/sgd.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";

/** No parameters: the schedule and option tests need none. */
const NONE = { weights: [], biases: [], backend: jsBackend };

Deno.test("Sgd.learningRate() is constant by default, at every step", () => {
  const sgd = new Sgd(NONE, { lr: 0.1 });
  assertEquals([sgd.momentum, sgd.schedule, sgd.totalSteps, sgd.steps], [
    0,
    "constant",
    Infinity,
    0,
  ]);
  for (const step of [0, 1, 1000, 1e9]) assertEquals(sgd.learningRate(step), 0.1);
});

Deno.test("Sgd.learningRate() falls linearly from lr to 0 over totalSteps", () => {
  const sgd = new Sgd(NONE, { lr: 0.2, schedule: "linear", totalSteps: 100 });
  assertEquals(sgd.learningRate(0), 0.2);
  assertAlmostEquals(sgd.learningRate(25), 0.15, 1e-15);
  assertAlmostEquals(sgd.learningRate(50), 0.1, 1e-15);
  assertAlmostEquals(sgd.learningRate(99), 0.002, 1e-15);
  assertEquals(sgd.learningRate(100), 0);
  assertEquals(sgd.learningRate(150), 0); // held at the end
});

Deno.test("Sgd.learningRate() follows half a cosine from lr to 0 over totalSteps", () => {
  const sgd = new Sgd(NONE, { lr: 0.4, schedule: "cosine", totalSteps: 60 });
  assertEquals(sgd.learningRate(0), 0.4);
  for (const step of [10, 20, 30, 45]) {
    assertAlmostEquals(sgd.learningRate(step), 0.2 * (1 + Math.cos((Math.PI * step) / 60)), 1e-15);
  }
  assertAlmostEquals(sgd.learningRate(30), 0.2, 1e-15);
  assertAlmostEquals(sgd.learningRate(60), 0, 1e-15);
  assertAlmostEquals(sgd.learningRate(61), 0, 1e-15);
});

Deno.test("Sgd.learningRate() defaults to the rate at the steps taken so far", () => {
  const sgd = new Sgd(NONE, { lr: 1, schedule: "linear", totalSteps: 4 });
  const rates = [];
  for (let i = 0; i < 4; i++) {
    rates.push(sgd.learningRate());
    sgd.steps++;
  }
  assertEquals(rates, [1, 0.75, 0.5, 0.25]);
});

Deno.test("Sgd() keeps the given options and a constant schedule may have a length", () => {
  const sgd = new Sgd(NONE, { lr: 0.5, momentum: 0.9, schedule: "constant", totalSteps: 10 });
  assertEquals([sgd.lr, sgd.momentum, sgd.totalSteps], [0.5, 0.9, 10]);
  assertEquals(sgd.learningRate(20), 0.5);
});

Deno.test("Sgd() throws a RangeError naming the bad option and its value", () => {
  const cases: [SgdOptions, string][] = [
    [{ lr: 0 }, "Expected lr to be a finite number greater than 0 but found 0"],
    [{ lr: -0.1 }, "Expected lr to be a finite number greater than 0 but found -0.1"],
    [{ lr: NaN }, "Expected lr to be a finite number greater than 0 but found NaN"],
    [{ lr: Infinity }, "Expected lr to be a finite number greater than 0 but found Infinity"],
    [{ lr: 0.1, momentum: 1 }, "Expected momentum to be from 0 to below 1 but found 1"],
    [{ lr: 0.1, momentum: -0.5 }, "Expected momentum to be from 0 to below 1 but found -0.5"],
    [{ lr: 0.1, momentum: NaN }, "Expected momentum to be from 0 to below 1 but found NaN"],
    [
      { lr: 0.1, schedule: "step" as ScheduleName },
      "Expected schedule to be one of constant, linear, cosine but found step",
    ],
    [
      { lr: 0.1, schedule: "linear" },
      "Expected totalSteps to be an integer of at least 1 for the linear schedule but found undefined",
    ],
    [
      { lr: 0.1, schedule: "cosine", totalSteps: 0 },
      "Expected totalSteps to be an integer of at least 1 for the cosine schedule but found 0",
    ],
    [
      { lr: 0.1, totalSteps: 2.5 },
      "Expected totalSteps to be an integer of at least 1 for the constant schedule but found 2.5",
    ],
  ];
  for (const [options, message] of cases) {
    assertThrows(() => new Sgd(NONE, options), RangeError, message);
  }
});
