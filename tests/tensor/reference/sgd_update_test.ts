import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { sgdUpdate } from "./sgd_update.ts";
import { Matrix, testEachBackend } from "../_helpers.ts";

testEachBackend("sgdUpdate() steps against the gradient", (backend) => {
  const p = Matrix.from([[1, 2], [3, 4]]);
  const g = Matrix.from([[1, -1], [0, 2]]);
  assertEquals(sgdUpdate(p, g, { lr: 0.5, backend }).toArray(), [[0.5, 2.5], [3, 3]]);
});

testEachBackend("sgdUpdate() with momentum follows v ← μv + g, p ← p − lr·v", (backend) => {
  const p = Matrix.from([[0]]), g = Matrix.from([[1]]), velocity = Matrix.zeros(1, 1);
  const trace: number[] = [];
  for (let step = 0; step < 3; step++) {
    sgdUpdate(p, g, { lr: 0.1, momentum: 0.9, velocity, backend });
    trace.push(p.get(0, 0));
  }
  // v = 1, 1.9, 2.71; p = −0.1, −0.29, −0.561
  assertEquals(trace.map((v) => Math.round(v * 1e6) / 1e6), [-0.1, -0.29, -0.561]);
  assertAlmostEquals(velocity.get(0, 0), 2.71, 1e-6);
});

testEachBackend("sgdUpdate() checks shapes and options", (backend) => {
  const p = Matrix.zeros(784, 300);
  assertThrows(
    () => sgdUpdate(p, Matrix.zeros(300, 784), { lr: 0.1, backend }),
    RangeError,
    "Cannot sgdUpdate: param is (784, 300) but grad is (300, 784)",
  );
  assertThrows(
    () =>
      sgdUpdate(p, p.clone(), { lr: 0.1, momentum: 0.9, velocity: Matrix.zeros(1, 300), backend }),
    RangeError,
    "Cannot sgdUpdate: param is (784, 300) but velocity is (1, 300)",
  );
  assertThrows(
    () => sgdUpdate(p, p.clone(), { lr: 0.1, momentum: 0.9, backend }),
    TypeError,
    "Expected a velocity matrix for momentum 0.9 but found none",
  );
  assertThrows(() => sgdUpdate(p, p.clone(), { lr: NaN, backend }), RangeError, "found NaN");
  assertThrows(
    () => sgdUpdate(p, p.clone(), { lr: 0.1, momentum: 2, backend }),
    RangeError,
    "Expected momentum to be from 0 to 1 but found 2",
  );
});
