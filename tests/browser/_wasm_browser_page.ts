/**
 * The page of tests/browser/wasm_browser_test.ts, bundled for the browser: loads the kernels
 * (kernels.json beside the page) as each choice asks, runs every primitive against the js
 * backend and the first layer's product, and leaves the results in `globalThis.results`.
 *
 * @module
 */

import { loadWasmBrowser, WASM_KERNELS } from "../../lib/tensor/backends/wasm_browser.ts";
import { backendAgreement, gemmSample } from "./_backend_agreement.ts";

/** Whether a shared memory can be made here, or the error it fails with. */
function sharedMemory(): string {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return "constructed";
  } catch (error) {
    return String(error);
  }
}

const runs = [];
for (const kernels of WASM_KERNELS) {
  const loaded = await loadWasmBrowser("./kernels.json", { kernels });
  runs.push({
    asked: kernels,
    kernels: loaded.kernels,
    shared: loaded.shared,
    identity: loaded.backend.identity(),
    reasons: loaded.reasons,
    agreement: backendAgreement(loaded.backend),
    gemm: gemmSample(loaded.backend),
  });
}
const broken = await loadWasmBrowser("./broken.json"); // a manifest naming missing builds
(globalThis as { results?: unknown }).results = {
  broken: { kernels: broken.kernels, reasons: broken.reasons },
  crossOriginIsolated: globalThis.crossOriginIsolated,
  sharedArrayBuffer: typeof SharedArrayBuffer,
  sharedMemory: sharedMemory(),
  runs,
};
