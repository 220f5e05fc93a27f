// The browser's wasm loader (lib/tensor/backends/wasm_browser.ts) in Debian's Chromium, on a page
// served over plain HTTP with no COOP/COEP headers (so not cross-origin isolated): each build it
// can be asked for (auto, relaxed SIMD, plain SIMD) and the js backend load, on an unshared memory,
// and every primitive agrees with the js backend to tests/tensor/backends/wasm_test.ts's tolerance
// (float32: 1e-5 of the largest expected magnitude; Adam's as there). The first layer's product
// agrees with Deno's build (kernels-<hash>.wasm, relaxed and shared): the relaxed build in Chromium
// bit for bit (the same kernels, and V8 lowers relaxed_madd to the same FMA on the same CPU), the
// plain one to 1e-5 of the largest |C| (mul then add rounds twice where the FMA rounds once). A
// manifest naming missing builds falls back to js, saying why for each.
import { assert, assertEquals } from "@std/assert";
import wabtInit from "wabt";
import { PRIMITIVE_NAMES } from "../../lib/tensor/backend.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { kernelsBinaryUrl, loadWasm } from "../../lib/tensor/backends/wasm.ts";
import { loadWasmBrowser, WASM_PROBES } from "../../lib/tensor/backends/wasm_browser.ts";
import { WASM_VARIANTS, type WasmManifest } from "../../lib/tensor/backends/_wasm_backend.ts";
import { bundle } from "../_browser_bundle.ts";
import { AGREEMENT_TOLERANCES, gemmSample } from "./_backend_agreement.ts";
import { launchChromium } from "./_chromium.ts";
import { serveFolder } from "./_serve_folder.ts";
import { waitForTaggedProcesses } from "./_tagged_processes.ts";

/** The largest |a − b| over the largest |b|. */
function relative(a: number[], b: number[]): number {
  assertEquals(a.length, b.length);
  const largest = Math.max(...b.map(Math.abs));
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0) / largest;
}

Deno.test("WASM_PROBES are the modules their comment states, and Deno validates both", async () => {
  const wabt = await wabtInit();
  const texts = {
    simd: "(module (func (result v128) (i32x4.splat (i32.const 0))))",
    relaxed: "(module (func (result v128) (f32x4.relaxed_madd (f32x4.splat (f32.const 0)) " +
      "(f32x4.splat (f32.const 0)) (f32x4.splat (f32.const 0)))))",
  };
  for (const [name, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
    const module = wabt.parseWat(name, text, { simd: true, relaxed_simd: name === "relaxed" });
    assertEquals([...WASM_PROBES[name]], [...module.toBinary({}).buffer], name);
    module.destroy();
    assert(WebAssembly.validate(WASM_PROBES[name]), `Deno validates the ${name} probe`);
  }
});

/** The manifest scripts/build_wasm.ts wrote, by its URL. */
function builtManifest(): URL {
  const built = new URL("./", kernelsBinaryUrl("00000000"));
  const [name] = [...Deno.readDirSync(built)].map((e) => e.name).filter((n) => n.endsWith(".json"));
  assert(name, `a manifest in ${built.pathname}: run scripts/build_wasm.ts`);
  return new URL(name, built);
}

Deno.test("loadWasmBrowser() keeps an unshared memory's size (growing would detach the matrices) and grows a shared one", async () => {
  const options = { kernels: "simd", memoryBytes: 2 ** 20 } as const;
  const unshared = (await loadWasmBrowser(builtManifest(), { ...options, shared: false })).backend;
  const small = unshared.matrix(256, 256);
  small.data.fill(1);
  const error = await Promise.resolve().then(() => unshared.matrix(512, 512)).catch((e) => e);
  assert(
    error instanceof RangeError && /unshared memory of 1048576 bytes/.test(error.message),
    String(error),
  );
  assertEquals(
    [small.data.length, small.data[small.size - 1]],
    [65536, 1],
    "the first matrix still reads",
  );
  const shared = (await loadWasmBrowser(builtManifest(), { ...options, shared: true })).backend;
  assertEquals(shared.matrix(512, 512).size, 512 * 512);
});

Deno.test("loadWasmBrowser() in Chromium without cross-origin isolation: every build and js agree with the js backend and with Deno's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backprop-wasm-browser-" });
  const manifestUrl = builtManifest(), built = new URL("./", manifestUrl);
  const manifest: WasmManifest = JSON.parse(await Deno.readTextFile(manifestUrl));
  for (const { file } of Object.values(manifest.variants)) {
    await Deno.copyFile(new URL(file, built), `${dir}/${file}`);
  }
  await Deno.writeTextFile(`${dir}/kernels.json`, JSON.stringify(manifest));
  const broken = structuredClone(manifest);
  for (const variant of WASM_VARIANTS) broken.variants[variant].file = `missing-${variant}.wasm`;
  await Deno.writeTextFile(`${dir}/broken.json`, JSON.stringify(broken));
  await bundle("tests/browser/_wasm_browser_page.ts", { out: `${dir}/page.js` });
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!doctype html><link rel="icon" href="data:,"><script type="module" src="page.js"></script>`,
  );
  const server = serveFolder(dir);
  const tag = `wasm-browser-${crypto.randomUUID()}`;
  const browser = await launchChromium({ tag });
  let results;
  const errors: string[] = [];
  try {
    const page = await browser.context.newPage();
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${server.addr.port}/`);
    results = await (await page.waitForFunction(() =>
      (globalThis as { results?: unknown }).results
    ))
      .jsonValue() as {
        crossOriginIsolated: boolean;
        sharedMemory: string;
        sharedArrayBuffer: string;
        broken: { kernels: string; reasons: string[] };
        runs: {
          asked: string;
          kernels: string;
          shared: boolean;
          identity: string;
          reasons: string[];
          agreement: Record<string, number>;
          gemm: number[];
        }[];
      };
  } finally {
    await browser.close();
    await server.shutdown();
    assertEquals((await waitForTaggedProcesses(tag, 10_000)).map((p) => p.pid), []);
  }
  // the 404s of broken.json's builds are the only console errors allowed
  assertEquals(errors.filter((e) => !e.includes("404")), [], "errors in the page");
  assertEquals(results.crossOriginIsolated, false);
  console.log(
    `Chromium, not cross-origin isolated: SharedArrayBuffer is ${results.sharedArrayBuffer}, ` +
      `a shared WebAssembly.Memory: ${results.sharedMemory}`,
  );
  assertEquals(results.broken.kernels, "js");
  assertEquals(results.broken.reasons.length, 2, results.broken.reasons.join("; "));
  assert(results.broken.reasons.every((r) => r.includes("404")), results.broken.reasons.join("; "));
  const deno = gemmSample(loadWasm()), denoJs = gemmSample(jsBackend);
  const expected = { auto: "relaxed", relaxed: "relaxed", simd: "simd", js: "js" };
  for (const run of results.runs) {
    assertEquals(run.kernels, expected[run.asked as keyof typeof expected], run.asked);
    assertEquals([run.shared, run.reasons], [false, []], run.asked);
    const variant = `${run.kernels}-unshared` as keyof WasmManifest["variants"];
    assertEquals(
      run.identity,
      run.kernels === "js" ? "js" : `wasm kernels sha256:${manifest.variants[variant].sha256}`,
    );
    const names = new Set(Object.keys(run.agreement).map((key) => key.split(" ")[0]));
    assertEquals([...PRIMITIVE_NAMES].filter((p) => !names.has(p)), [], "primitives not run");
    for (const [key, difference] of Object.entries(run.agreement)) {
      const tolerance = AGREEMENT_TOLERANCES[key] ?? AGREEMENT_TOLERANCES.default;
      assert(
        difference <= tolerance,
        `${run.asked}: ${key} differs from the js backend by ${difference} (tolerance ${tolerance})`,
      );
    }
    const gap = relative(run.gemm, run.kernels === "js" ? denoJs : deno);
    console.log(
      `${run.asked} (${run.kernels}): the largest primitive difference from js is ` +
        `${Math.max(...Object.values(run.agreement)).toExponential(2)}; its first layer's ` +
        `product differs from Deno's ${run.kernels === "js" ? "js" : "wasm"} by ${
          gap.toExponential(2)
        } of |C|`,
    );
    assert(gap <= (run.kernels === "simd" ? 1e-5 : 0), `${run.asked}: gemm differs by ${gap}`);
  }
});
