import { assertAlmostEquals, assertEquals, assertLess, assertThrows } from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import { scalarSoftmaxBackward, scalarSoftmaxForward } from "../../lib/scalar/softmax.ts";
import {
  scalarCrossEntropyBackward,
  scalarCrossEntropyForward,
  scalarSoftmaxCrossEntropyBackward,
  scalarSoftmaxCrossEntropyForward,
} from "../../lib/scalar/softmax_cross_entropy.ts";

Deno.test("scalarCrossEntropyForward() gives −log y_c", () => {
  assertEquals(scalarCrossEntropyForward([0.5, 0.5], 1), Math.LN2);
  assertEquals(scalarCrossEntropyForward([0.1, 0.2, 0.7], 2), -Math.log(0.7));
  // on probabilities it cannot survive an underflow: that is the fused module's job
  assertEquals(scalarCrossEntropyForward([1, 0], 1), Infinity);
});

Deno.test("scalarCrossEntropyBackward() gives −1/y_c at the target and 0 at every other entry", () => {
  const y = [0.1, 0.2, 0.3, 0.4];
  for (let target = 0; target < y.length; target++) {
    const dy = scalarCrossEntropyBackward(y, target);
    const numerical = centralDifference((v) => scalarCrossEntropyForward(v, target), y, {
      h: 1e-6,
    });
    assertLess(maxAbsDifference(dy, numerical), 1e-8);
    assertEquals(dy.filter((v) => v === 0).length, y.length - 1);
    assertEquals(dy[target], -1 / y[target]);
  }
});

Deno.test("scalarSoftmaxCrossEntropyForward() equals −log softmax(o)_c for moderate logits", () => {
  const random = new Random(12);
  for (const n of [2, 3, 10]) {
    const o = Array.from({ length: n }, () => random.normal(0, 3));
    const target = random.integer(n);
    const direct = scalarCrossEntropyForward(scalarSoftmaxForward(o), target);
    assertAlmostEquals(scalarSoftmaxCrossEntropyForward(o, target), direct, 1e-13);
  }
});

Deno.test("scalarSoftmaxCrossEntropyForward() is finite and correct for logits of ±1000", () => {
  assertEquals(scalarSoftmaxCrossEntropyForward([1000, -1000], 0), 0);
  assertEquals(scalarSoftmaxCrossEntropyForward([1000, -1000], 1), 2000);
  assertEquals(scalarSoftmaxCrossEntropyForward([-1000, -1000], 1), Math.LN2);
  assertEquals(scalarSoftmaxCrossEntropyForward([1000, 1000], 0), Math.LN2);
  assertAlmostEquals(scalarSoftmaxCrossEntropyForward([1000, 1000, -1000], 2), 2000 + Math.LN2);
  // the unfused path gives up here
  assertEquals(scalarCrossEntropyForward(scalarSoftmaxForward([1000, -1000]), 1), Infinity);
});

Deno.test("scalarSoftmaxCrossEntropyBackward() gives y − t, as central differences say", () => {
  const random = new Random(13);
  for (const n of [2, 3, 5, 10]) {
    for (const scale of [0.1, 1, 10, 1000]) {
      const o = Array.from({ length: n }, () => random.normal(0, scale));
      const target = random.integer(n);
      const dO = scalarSoftmaxCrossEntropyBackward(scalarSoftmaxForward(o), target);
      const numerical = centralDifference((v) => scalarSoftmaxCrossEntropyForward(v, target), o);
      assertLess(maxAbsDifference(dO, numerical), scale > 100 ? 1e-6 : 1e-9, `scale ${scale}`);
    }
  }
});

Deno.test("scalarSoftmaxCrossEntropyBackward() agrees with the module-by-module path for moderate logits", () => {
  const random = new Random(14);
  for (const n of [2, 4, 10]) {
    const o = Array.from({ length: n }, () => random.normal(0, 2));
    const target = random.integer(n);
    const y = scalarSoftmaxForward(o);
    const modules = scalarSoftmaxBackward(scalarCrossEntropyBackward(y, target), y);
    assertLess(maxAbsDifference(scalarSoftmaxCrossEntropyBackward(y, target), modules), 1e-15);
  }
});

Deno.test("scalarSoftmaxCrossEntropyBackward() stays finite where the module-by-module path gives NaN", () => {
  const y = scalarSoftmaxForward([1000, -1000]);
  assertEquals(scalarSoftmaxCrossEntropyBackward(y, 1), [1, -1]);
  const modules = scalarSoftmaxBackward(scalarCrossEntropyBackward(y, 1), y);
  assertEquals(modules.some(Number.isNaN), true);
});

Deno.test("each cross-entropy function throws a RangeError naming a target out of range or not an integer", () => {
  const cases: [string, (v: number[], target: number) => unknown, number[], number, number][] = [
    ["scalarCrossEntropyForward", scalarCrossEntropyForward, [0.5, 0.5], 3, 1],
    ["scalarCrossEntropyBackward", scalarCrossEntropyBackward, [0.2, 0.3, 0.5], 1.5, 2],
    ["scalarSoftmaxCrossEntropyForward", scalarSoftmaxCrossEntropyForward, [1, 2], 2, 1],
    ["scalarSoftmaxCrossEntropyForward", scalarSoftmaxCrossEntropyForward, [1, 2], 0.5, 1],
    ["scalarSoftmaxCrossEntropyBackward", scalarSoftmaxCrossEntropyBackward, [0.5, 0.5], -1, 1],
  ];
  for (const [name, f, values, target, last] of cases) {
    const message = `Expected target to be an integer from 0 to ${last} but found ${target}`;
    assertThrows(() => f(values, target), RangeError, message, name);
  }
  assertThrows(
    () => scalarSoftmaxCrossEntropyForward([1, 2], "1" as unknown as number),
    TypeError,
    "Expected target to be a number but found string",
  );
});
