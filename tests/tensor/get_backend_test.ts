import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { availableBackends, defaultBackend, getBackend } from "../../lib/tensor/get_backend.ts";

const blasLoads = availableBackends().some((b) => b.name === "openblas");
const module = new URL("../../lib/tensor/get_backend.ts", import.meta.url).href;
// the project's import map (npm packages by bare name), from a script outside the project
const config = new URL("../../deno.json", import.meta.url).pathname;

/** Runs a snippet in a fresh Deno (deno run: no permission unless given) with the given permissions and environment. */
async function run(code: string, permissions: string[], env: Record<string, string> = {}) {
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    script,
    `import { getBackend, defaultBackend } from "${module}";\n${code}`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, ...permissions, script],
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output().finally(() => Deno.remove(script));
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("getBackend() returns the js backend when asked", () => {
  assertEquals(getBackend({ name: "js" }).name, "js");
});

Deno.test({
  name: "getBackend() prefers openblas when it loads",
  ignore: !blasLoads,
  fn() {
    assertEquals(getBackend({ name: "auto" }).name, "openblas");
    assertEquals(getBackend({ name: "openblas" }).name, "openblas");
  },
});

Deno.test("getBackend() rejects an unknown name", () => {
  assertThrows(
    () => getBackend({ name: "cuda" as "js" }),
    RangeError,
    'Expected the backend name to be "js", "openblas", "openblas-js", "wasm" or "auto" but found "cuda"',
  );
});

Deno.test("defaultBackend() is chosen once and kept", () => {
  assert(defaultBackend() === defaultBackend());
});

Deno.test("getBackend() follows BACKPROP_BACKEND", async () => {
  const js = await run(
    "console.log(getBackend().name)",
    ["--allow-ffi", "--allow-env"],
    { BACKPROP_BACKEND: "js" },
  );
  assertEquals(js.stdout, "js");
  const wasm = await run(
    "console.log(getBackend().name)",
    ["--allow-ffi", "--allow-env", "--allow-read"],
    { BACKPROP_BACKEND: "wasm" },
  );
  assertEquals(wasm.stdout, "wasm");
  const bad = await run("getBackend()", ["--allow-env"], { BACKPROP_BACKEND: "gpu" });
  assertStringIncludes(bad.stderr, 'Expected the backend name in BACKPROP_BACKEND to be "js"');
  if (blasLoads) {
    const blas = await run(
      "console.log(getBackend().name)",
      ["--allow-ffi", "--allow-env", "--allow-read"],
      { BACKPROP_BACKEND: "openblas" },
    );
    assertEquals(blas.stdout, "openblas");
    const blasJs = await run(
      "console.log(getBackend().name)",
      ["--allow-ffi", "--allow-env"],
      { BACKPROP_BACKEND: "openblas-js" },
    );
    assertEquals(blasJs.stdout, "openblas-js");
  }
});

Deno.test("getBackend() falls back to wasm without FFI, and to js without read access either, saying why once, on stderr", async () => {
  const names = "console.log(getBackend().name, defaultBackend().name, getBackend().name)";
  const noFfi =
    "openblas: OpenBLAS is not available: FFI is not permitted (run Deno with --allow-ffi)";
  const wasm = await run(names, ["--allow-env", "--allow-read"]);
  assertEquals(wasm.code, 0);
  assertEquals(wasm.stderr, `Using the wasm backend: ${noFfi}`);
  assertEquals(wasm.stdout, "wasm wasm wasm");
  const js = await run(names, ["--allow-env"]);
  assertEquals(js.code, 0);
  assertStringIncludes(
    js.stderr,
    `Using the js backend: ${noFfi}; wasm: Cannot read the wasm kernels' source`,
  );
  assertEquals(js.stderr.split("\n").length, 1);
  assertEquals(js.stdout, "js js js");
});

Deno.test({
  name: "getBackend() falls back to openblas-js when the wasm kernels cannot be read, saying why",
  ignore: !blasLoads,
  async fn() {
    const output = await run(
      "console.log(getBackend().name, getBackend().identity().endsWith('elementwise: js'))",
      ["--allow-ffi", "--allow-env"],
    );
    assertEquals(output.stdout, "openblas-js true");
    assertStringIncludes(
      output.stderr,
      "Using the openblas-js backend: openblas: The wasm kernels that run the openblas " +
        "backend's other primitives do not load (Cannot read the wasm kernels' source",
    );
    assertStringIncludes(output.stderr, "; wasm: Cannot read the wasm kernels' source");
  },
});

Deno.test({
  name:
    "getBackend() throws when openblas is asked for without the wasm kernels, naming openblas-js",
  ignore: !blasLoads,
  async fn() {
    const output = await run('getBackend({ name: "openblas" })', ["--allow-ffi"]);
    assert(output.code !== 0);
    assertStringIncludes(
      output.stderr,
      "Cannot use the openblas backend: The wasm kernels that run the openblas backend's other " +
        "primitives do not load",
    );
    assertStringIncludes(
      output.stderr,
      "the openblas-js backend runs them on the js loops instead",
    );
  },
});

Deno.test("getBackend() throws when openblas is asked for but cannot load", async () => {
  const explicit = await run('getBackend({ name: "openblas" })', []);
  assert(explicit.code !== 0);
  assertStringIncludes(
    explicit.stderr,
    "Cannot use the openblas backend: OpenBLAS is not available: FFI is not permitted",
  );
  const viaEnv = await run("getBackend()", ["--allow-env"], { BACKPROP_BACKEND: "openblas" });
  assertStringIncludes(viaEnv.stderr, "Cannot use the openblas backend");
  const blasJs = await run('getBackend({ name: "openblas-js" })', []);
  assertStringIncludes(
    blasJs.stderr,
    "Cannot use the openblas-js backend: OpenBLAS is not available",
  );
});
