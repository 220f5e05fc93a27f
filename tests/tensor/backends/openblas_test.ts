import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { jsBackend } from "../../../lib/tensor/backends/js.ts";
import { loadOpenblas } from "../../../lib/tensor/backends/openblas.ts";
import { loadWasm } from "../../../lib/tensor/backends/wasm.ts";
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
    assertEquals(blas.gemm({ a, b: a, c: new Matrix(2, 2) }).toArray(), [[7, 10], [15, 22]]);
    assertStringIncludes(blas.identity(), "openblas OpenBLAS");
  },
});

Deno.test({
  name: "loadOpenblas() keeps its matrices in the wasm kernels' memory and runs the sigmoid there",
  ignore,
  fn() {
    const blas = loadOpenblas();
    const wasm = loadWasm(); // scripts/setup.sh builds the kernels before the tests
    const z = blas.matrix(2, 3), b = blas.matrix(1, 3);
    assert(z.data.buffer instanceof SharedArrayBuffer, "not in a wasm memory");
    z.data.set([-1, 0, 1, 2, 30, -30]);
    const expected = wasm.biasActivation({ z: z.clone(), b, activation: "sigmoid" });
    // the wasm kernel's float32 results, bit for bit (the js loop rounds from double instead)
    assertEquals(blas.biasActivation({ z, b, activation: "sigmoid" }).data, expected.data);
    assertEquals(blas.gemm({ a: z, b: z, c: blas.matrix(2, 2), transB: true }).shape, [2, 2]);
  },
});

Deno.test({
  name: "loadOpenblas() with the js loops is openblas-js: ordinary matrices, the js results",
  ignore,
  fn() {
    const blas = loadOpenblas({ elementwise: "js" });
    assertEquals(blas.name, "openblas-js");
    assert(blas.identity().endsWith("; elementwise: js"), blas.identity());
    assertStringIncludes(loadOpenblas().identity(), "; elementwise: wasm kernels sha256:");
    const z = blas.matrix(2, 3), b = blas.matrix(1, 3);
    assert(!(z.data.buffer instanceof SharedArrayBuffer), "in a wasm memory");
    z.data.set([-1, 0, 1, 2, 30, -30]);
    const expected = jsBackend.biasActivation({ z: z.clone(), b, activation: "sigmoid" });
    assertEquals(blas.biasActivation({ z, b, activation: "sigmoid" }).data, expected.data);
    assertThrows(
      () => loadOpenblas({ elementwise: "gpu" as "js" }),
      RangeError,
      'Expected elementwise to be "wasm" or "js" but found "gpu"',
    );
  },
});

Deno.test({
  name: "loadOpenblas() sets the thread count when asked",
  ignore,
  fn() {
    const blas = loadOpenblas(), before = blas.threads!.count();
    loadOpenblas({ numThreads: 1 });
    assertEquals(blas.threads!.count(), 1);
    loadOpenblas({ numThreads: before });
    assertEquals(blas.threads!.count(), before);
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
