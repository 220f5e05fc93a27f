// The local stand-in for @std/assert must fail when std's would: every assertion is checked on
// a passing and a failing case.
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  AssertionError,
  assertLess,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";

function fails(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (error instanceof AssertionError) return;
    throw error;
  }
  throw new Error("Expected an AssertionError but nothing was thrown");
}

Deno.test("assertEquals() compares deeply and fails on any difference", () => {
  assertEquals({ a: [1, 2, { b: NaN }] }, { a: [1, 2, { b: NaN }] });
  assertEquals(new Float32Array([1, 2]), new Float32Array([1, 2]));
  fails(() => assertEquals({ a: [1, 2] }, { a: [1, 3] }));
  fails(() => assertEquals<unknown>(new Float32Array([1, 2]), new Float64Array([1, 2])));
  fails(() => assertEquals<unknown>({ a: 1 }, { a: 1, b: undefined }));
  assertNotEquals([1], [2]);
  fails(() => assertNotEquals([1], [1]));
});

Deno.test("assertAlmostEquals() uses the tolerance given or a relative 1e-7", () => {
  assertAlmostEquals(0.1 + 0.2, 0.3);
  assertAlmostEquals(1.0005, 1, 1e-3);
  fails(() => assertAlmostEquals(1.01, 1, 1e-3));
  fails(() => assertAlmostEquals(1e6 + 1, 1e6));
  fails(() => assertAlmostEquals(NaN, 1, 1));
});

Deno.test("assertThrows() checks the error class and message", () => {
  const error = assertThrows(
    () => {
      throw new RangeError("Expected lr to be positive but found -1");
    },
    RangeError,
    "found -1",
  );
  assertEquals(error.name, "RangeError");
  fails(() => assertThrows(() => {}));
  fails(() =>
    assertThrows(() => {
      throw new TypeError("x");
    }, RangeError)
  );
  fails(() =>
    assertThrows(
      () => {
        throw new RangeError("x");
      },
      RangeError,
      "y",
    )
  );
});

Deno.test("assertRejects() checks async errors", async () => {
  await assertRejects(() => Promise.reject(new Error("gone")), Error, "gone");
  let failed = false;
  await assertRejects(() => Promise.resolve(1)).catch((e) => failed = e instanceof AssertionError);
  assert(failed);
});

Deno.test("assert(), ordering and string assertions fail when false", () => {
  fails(() => assert(false));
  assertLess(1, 2);
  fails(() => assertLess(2, 2));
  assertGreater(3, 2);
  fails(() => assertGreater(2, 3));
  assertStringIncludes("hello", "ell");
  fails(() => assertStringIncludes("hello", "z"));
});
