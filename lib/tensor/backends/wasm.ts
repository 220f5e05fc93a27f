/**
 * The WebAssembly backend: every primitive is a 128-bit SIMD kernel of wasm/kernels.wat, run on
 * matrices in the module's own memory. A matrix from {@linkcode WasmBackend.matrix} lives there
 * and is passed by its byte offset, with no copy; any other matrix is copied into a scratch area
 * of that memory for the call (and its outputs back), so the shared backend tests run unchanged
 * while the network's hot path copies nothing. Needs the binary built by scripts/build_wasm.ts
 * ({@linkcode BUILD_WASM_COMMAND}) and permission to read it and kernels.wat.
 *
 * @module
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { makeWasmBackend, type WasmBackend } from "./_wasm_backend.ts";

export type { WasmBackend } from "./_wasm_backend.ts";

/** The command that builds the kernels' binary into build/wasm/, run from the project's root. */
export const BUILD_WASM_COMMAND = "deno run --allow-read --allow-write scripts/build_wasm.ts";

/** The WebAssembly text of the kernels: the source the binary is built from. */
export const KERNELS_SOURCE_URL: URL = new URL("./wasm/kernels.wat", import.meta.url);

/**
 * The hash naming a binary built from a source: FNV-1a (32 bits) of its UTF-8 bytes, as 8 hex
 * digits. The loader only opens the binary named by the current source's hash, so a stale
 * binary is never run.
 *
 * @param source The text of kernels.wat.
 * @returns 8 lowercase hex digits.
 *
 * @example
 * ```ts
 * import { kernelsHash } from "./wasm.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(kernelsHash(""), "811c9dc5"); // FNV-1a's offset basis
 * assertEquals(kernelsHash("a"), "e40c292c");
 * ```
 */
export function kernelsHash(source: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(source)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Where the binary built from a source of the given hash lives: build/wasm/ at the project's root.
 *
 * @param hash The source's {@linkcode kernelsHash}.
 * @returns The file's URL.
 *
 * @example
 * ```ts
 * import { kernelsBinaryUrl } from "./wasm.ts";
 * import { assert } from "@std/assert";
 *
 * assert(kernelsBinaryUrl("0123abcd").pathname.endsWith("/build/wasm/kernels-0123abcd.wasm"));
 * ```
 */
export function kernelsBinaryUrl(hash: string): URL {
  return new URL(`../../../build/wasm/kernels-${hash}.wasm`, import.meta.url);
}

/** Options of {@linkcode loadWasm}. */
export interface LoadWasmOptions {
  /** The binary to load. @default {build/wasm/kernels-<kernelsHash of kernels.wat>.wasm} */
  path?: string | URL;
}

/**
 * Loads the wasm backend: reads the binary built from the current kernels.wat, compiles and
 * instantiates it on a new shared memory (synchronously). Throws an Error when the binary is
 * missing, naming it and the command that builds it ({@linkcode BUILD_WASM_COMMAND}), and when
 * the runtime lacks WebAssembly SIMD, relaxed SIMD or threads.
 *
 * @param options Which binary.
 * @returns A new backend named "wasm", with its own memory.
 *
 * @example A product in the module's memory
 * ```ts
 * import { loadWasm } from "./wasm.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let wasm;
 * try {
 *   wasm = loadWasm();
 * } catch {
 *   wasm = undefined; // not built here: deno run … scripts/build_wasm.ts
 * }
 * if (wasm) {
 *   const a = wasm.matrix(2, 2);
 *   a.data.set([1, 2, 3, 4]);
 *   const c = wasm.gemm({ a, b: a, c: wasm.matrix(2, 2), transB: true }); // a · aᵀ, no copies
 *   assertEquals(c.toArray(), [[5, 11], [11, 25]]);
 *   wasm.free(a);
 *   wasm.free(c);
 * }
 * ```
 */
export function loadWasm(options: LoadWasmOptions = {}): WasmBackend {
  const path = options.path ?? kernelsBinaryUrl(kernelsHash(readSource()));
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new Error(`Cannot read the wasm kernels ${describe(path)}: ${errorMessage(error)}`);
    }
    throw new Error(
      `The wasm kernels are not built: ${describe(path)} does not exist; ` +
        `run \`${BUILD_WASM_COMMAND}\` from the project's root`,
    );
  }
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  } catch (error) {
    throw new Error(
      `The wasm kernels ${describe(path)} do not run here (they need WebAssembly SIMD, ` +
        `relaxed SIMD and threads): ${errorMessage(error)}`,
    );
  }
  const identity = `wasm kernels sha256:${bytesToHex(sha256(bytes))}`;
  return makeWasmBackend(memory, instance, identity);
}

function readSource(): string {
  try {
    return Deno.readTextFileSync(KERNELS_SOURCE_URL);
  } catch (error) {
    const source = describe(KERNELS_SOURCE_URL);
    throw new Error(`Cannot read the wasm kernels' source ${source}: ${errorMessage(error)}`);
  }
}

function describe(path: string | URL): string {
  return path instanceof URL && path.protocol === "file:"
    ? decodeURIComponent(path.pathname)
    : String(path);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
