import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { meanStd } from "../../lib/stats/mean_std.ts";

Deno.test("meanStd() divides the squares by n − 1 and takes typed arrays", () => {
  const { mean, std } = meanStd(Float32Array.of(2, 4, 4, 4, 5, 5, 7, 9));
  assertEquals(mean, 5);
  assertAlmostEquals(std!, Math.sqrt(32 / 7), 1e-12);
});

Deno.test("meanStd() of nothing is a RangeError, not NaN", () => {
  assertThrows(
    () => meanStd([]),
    RangeError,
    "Expected at least one value for a mean but found none",
  );
});
