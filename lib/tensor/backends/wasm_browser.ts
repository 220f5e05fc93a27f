/**
 * The wasm backend in a browser page or Worker: the kernels fetched by URL (from the manifest
 * scripts/build_wasm.ts writes beside them) and compiled asynchronously, the build chosen by
 * feature detection: relaxed SIMD where the engine validates it (Chrome 114+, Firefox 146+), else
 * plain SIMD (Safari), else the js backend. The memory is shared only where the page is
 * cross-origin isolated; elsewhere (a static host without COOP/COEP headers) it is unshared and
 * of a fixed size. The backend is the one Deno's loader makes (_wasm_backend.ts), its identity the
 * binary's SHA-256 as written in the manifest at build time.
 *
 * @module
 */

import type { Backend } from "../backend.ts";
import { jsBackend } from "./js.ts";
import { makeWasmBackend, type WasmManifest, type WasmVariant } from "./_wasm_backend.ts";

/** Which kernels to run: "auto" picks the fastest the engine runs; the others force one. */
export type WasmKernels = "auto" | "relaxed" | "simd" | "js";

/** The names {@linkcode WasmKernels} takes (a page's `?wasm=` setting, for instance). */
export const WASM_KERNELS: readonly WasmKernels[] = ["auto", "relaxed", "simd", "js"];

/**
 * Tiny modules that are valid exactly where the kernels of their name compile:
 * simd is (module (func (result v128) (i32x4.splat (i32.const 0)))), relaxed is
 * (module (func (result v128) (f32x4.relaxed_madd (f32x4.splat (f32.const 0)) ×3))).
 */
// deno-fmt-ignore
export const WASM_PROBES: Readonly<Record<"simd" | "relaxed", Uint8Array<ArrayBuffer>>> = {
  simd: new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253,
    17, 11,
  ]),
  relaxed: new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0, 67, 0, 0, 0,
    0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 253, 133, 2, 11,
  ]),
};

/** Options of {@linkcode loadWasmBrowser}. */
export interface LoadWasmBrowserOptions {
  /** Which kernels. @default {"auto"} */
  kernels?: WasmKernels;
  /** Run on a shared memory. @default {globalThis.crossOriginIsolated === true} */
  shared?: boolean;
  /** The bytes of an unshared memory, which cannot grow. @default {64 MiB} */
  memoryBytes?: number;
  /** Fetches the manifest and the binary. @default {globalThis.fetch} */
  fetch?: (url: URL) => Promise<Response>;
}

/** A backend loaded by {@linkcode loadWasmBrowser}, and which kernels it runs. */
export interface BrowserBackend {
  /** The backend: "wasm", or "js" when no kernels run here (or "js" was asked for). */
  backend: Backend;
  /** The kernels it runs. */
  kernels: "relaxed" | "simd" | "js";
  /** Whether its memory is shared (false for js). */
  shared: boolean;
  /** Why each faster choice was passed over, one line each (empty when none was). */
  reasons: string[];
}

/**
 * Loads the wasm backend from the builds a manifest names: the relaxed SIMD build where the engine
 * validates relaxed SIMD, else the plain SIMD one, else the js backend, or the kernels asked for
 * (an Error when they do not run here). Compiles asynchronously, with no `Deno`.
 *
 * @param manifestUrl The URL of build/wasm/kernels-<hash>.json, the builds beside it.
 * @param options The kernels, the memory, the fetch.
 * @returns The backend and what it runs.
 *
 * @example The js backend, asked for
 * ```ts
 * import { loadWasmBrowser } from "./wasm_browser.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const loaded = await loadWasmBrowser("./kernels.json", { kernels: "js" });
 * assertEquals([loaded.backend.name, loaded.kernels], ["js", "js"]);
 * ```
 */
export async function loadWasmBrowser(
  manifestUrl: string | URL,
  options: LoadWasmBrowserOptions = {},
): Promise<BrowserBackend> {
  const { kernels = "auto", memoryBytes = 64 * 2 ** 20, fetch = globalThis.fetch } = options;
  const shared = options.shared ??
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!WASM_KERNELS.includes(kernels)) {
    throw new RangeError(
      `Expected kernels to be one of ${WASM_KERNELS.join(", ")} but found "${kernels}"`,
    );
  }
  const reasons: string[] = [];
  const js: BrowserBackend = { backend: jsBackend, kernels: "js", shared: false, reasons };
  if (kernels === "js") return js;
  const base = new URL(manifestUrl, globalThis.location?.href);
  const manifest: WasmManifest = await (await fetched(fetch, base)).json();
  for (const choice of kernels === "auto" ? ["relaxed", "simd"] as const : [kernels]) {
    try {
      if (!WebAssembly.validate(WASM_PROBES[choice])) {
        throw new Error(`this engine has no ${choice === "simd" ? "" : "relaxed "}SIMD`);
      }
      const variant: WasmVariant = `${choice}-${shared ? "shared" : "unshared"}`;
      const { file, sha256 } = manifest.variants[variant];
      const bytes = await (await fetched(fetch, new URL(file, base))).arrayBuffer();
      const pages = Math.ceil(memoryBytes / 65536);
      const memory = new WebAssembly.Memory({
        initial: shared ? 16 : pages,
        maximum: 65536,
        shared,
      });
      const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
      const backend = makeWasmBackend(memory, instance, `wasm kernels sha256:${sha256}`);
      return { backend, kernels: choice, shared, reasons };
    } catch (error) {
      const reason = `${choice}: ${error instanceof Error ? error.message : String(error)}`;
      if (kernels !== "auto") throw new Error(`Cannot run the ${choice} wasm kernels: ${reason}`);
      reasons.push(reason);
    }
  }
  return js;
}

/** A response that is ok, or an Error naming the URL and the status. */
async function fetched(fetch: (url: URL) => Promise<Response>, url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Cannot load ${url.href}: ${response.status} ${response.statusText}`);
  }
  return response;
}
