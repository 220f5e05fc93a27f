import { assertEquals, assertThrows } from "@std/assert";
import { maxAbsDifference } from "../../lib/check/max_abs_difference.ts";

Deno.test("maxAbsDifference() gives the largest |a − b| of numbers, vectors and matrices", () => {
  assertEquals(maxAbsDifference(1, 3), 2);
  assertEquals(maxAbsDifference([1, 2, 3], [1, 2.5, 2]), 1);
  assertEquals(maxAbsDifference([[1], [2]], [[-1], [2]]), 2);
  assertEquals(maxAbsDifference([], []), 0);
});

Deno.test("maxAbsDifference() gives NaN when either side has a NaN", () => {
  assertEquals(maxAbsDifference([1, NaN, 5], [1, 2, 100]), NaN);
  assertEquals(maxAbsDifference([Infinity], [Infinity]), NaN);
});

Deno.test("maxAbsDifference() throws a TypeError for arrays of different shapes", () => {
  assertThrows(
    () => maxAbsDifference([1, 2], [1, 2, 3]),
    TypeError,
    "Expected a and b to have the same shape but found an array of length 2 and an array of length 3",
  );
  assertThrows(() => maxAbsDifference([[1], [2]], [[1], 2]), TypeError, "at [1]");
});
