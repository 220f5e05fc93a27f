import { assertEquals, assertLess, assertThrows } from "@std/assert";
import { centralDifference } from "../../lib/check/central_difference.ts";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";
import {
  scalarCrossEntropyBackward,
  scalarCrossEntropyForward,
} from "../../lib/scalar/cross_entropy.ts";

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

Deno.test("scalarCrossEntropyForward() and Backward() throw a RangeError for a bad target", () => {
  assertThrows(
    () => scalarCrossEntropyForward([0.5, 0.5], 3),
    RangeError,
    "Expected target to be an integer from 0 to 1 but found 3",
  );
  assertThrows(
    () => scalarCrossEntropyBackward([0.2, 0.3, 0.5], 1.5),
    RangeError,
    "Expected target to be an integer from 0 to 2 but found 1.5",
  );
});
