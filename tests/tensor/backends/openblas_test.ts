import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { loadOpenblas, openblasInfo } from "../../../lib/tensor/backends/openblas.ts";
import { Matrix } from "../../../lib/tensor/matrix.ts";

function hasOpenblas(): boolean {
  try {
    loadOpenblas();
    return true;
  } catch {
    return false;
  }
}
const ignore = !hasOpenblas();

Deno.test({
  name: "loadOpenblas() gives a backend named openblas whose gemm is cblas_sgemm",
  ignore,
  fn() {
    const blas = loadOpenblas();
    assertEquals(blas.name, "openblas");
    const a = Matrix.from([[1, 2], [3, 4]]);
    assertEquals(blas.gemm({ a, b: a, c: Matrix.zeros(2, 2) }).toArray(), [[7, 10], [15, 22]]);
    assertStringIncludes(openblasInfo().config, "OpenBLAS");
  },
});

Deno.test({
  name: "loadOpenblas() sets the thread count when asked",
  ignore,
  fn() {
    const before = openblasInfo().numThreads;
    loadOpenblas({ numThreads: 1 });
    assertEquals(openblasInfo().numThreads, 1);
    loadOpenblas({ numThreads: before });
    assertEquals(openblasInfo().numThreads, before);
    assertThrows(() => loadOpenblas({ numThreads: 0 }), RangeError, "found 0");
  },
});

Deno.test("loadOpenblas() says which library it could not open", () => {
  const error = assertThrows(() => loadOpenblas({ path: "/nonexistent/libopenblas.so.0" }), Error);
  assertStringIncludes(error.message, "OpenBLAS is not available");
  assert(
    error.message.includes("/nonexistent/libopenblas.so.0") || error.message.includes("FFI"),
    error.message,
  );
});
