/**
 * Backend selection: OpenBLAS with the WebAssembly kernels when both load, else the WebAssembly
 * kernels alone when they are built, else OpenBLAS with the js loops, else the js backend; an
 * option or the BACKPROP_BACKEND environment variable picks one explicitly.
 *
 * @module
 */

import { envVar } from "../options/option_rules.ts";
import type { Backend } from "./backend.ts";
import { jsBackend } from "./backends/js.ts";
import { loadOpenblas } from "./backends/openblas.ts";
import { loadWasm } from "./backends/wasm.ts";

/** The backends this package ships, by name: the one list of them (js, the reference, first). */
export const BACKEND_NAMES = ["js", "openblas", "openblas-js", "wasm"] as const;

/** The name of a backend this package ships: one of {@linkcode BACKEND_NAMES}. */
export type BackendName = typeof BACKEND_NAMES[number];

/** The order "auto" tries the backends in: the fastest first. */
const AUTO_ORDER: readonly BackendName[] = ["openblas", "wasm", "openblas-js", "js"];

/** How each shipped backend is made: js is always there, the others may fail to load. */
const LOADERS: { readonly [N in BackendName]: () => Backend } = {
  js: () => jsBackend,
  openblas: () => loadOpenblas(),
  "openblas-js": () => loadOpenblas({ elementwise: "js" }),
  wasm: () => loadWasm(),
};

/** Each backend once loaded, or the error it failed with. */
const loaded = new Map<BackendName, Backend | Error>();

function tryLoad(name: BackendName): Backend | Error {
  if (!loaded.has(name)) {
    try {
      loaded.set(name, LOADERS[name]());
    } catch (error) {
      loaded.set(name, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return loaded.get(name)!;
}

/** Options of {@linkcode getBackend}. */
export interface GetBackendOptions {
  /**
   * One of {@linkcode BACKEND_NAMES} (an error if it cannot load), or "auto": the first that
   * loads, saying once on the console why when it is not "openblas".
   * @default {the BACKPROP_BACKEND environment variable when set and readable, else "auto"}
   */
  name?: BackendName | "auto";
}

let saidFallback = false;
let chosen: Backend | undefined;

/**
 * The backend named by the option, else by BACKPROP_BACKEND, else the first of "openblas" (FFI
 * permitted, the library found, the wasm kernels built), "wasm", "openblas-js" and "js" that loads.
 *
 * @param options Which backend.
 * @returns The backend; its `name` says which.
 *
 * @example Ask for the reference backend
 * ```ts
 * import { getBackend } from "./get_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getBackend({ name: "js" }).name, "js");
 * ```
 */
export function getBackend(options: GetBackendOptions = {}): Backend {
  const fromEnv = options.name === undefined ? envVar("BACKPROP_BACKEND")?.trim() : undefined;
  const name = options.name ?? (fromEnv || "auto");
  if (name === "auto") {
    const reasons: string[] = [];
    for (const candidate of AUTO_ORDER) {
      const backend = tryLoad(candidate);
      if (!(backend instanceof Error)) {
        if (reasons.length > 0 && !saidFallback) {
          saidFallback = true;
          console.error(`Using the ${candidate} backend: ${reasons.join("; ")}`);
        }
        return backend;
      }
      reasons.push(`${candidate}: ${backend.message}`);
    }
  }
  if ((BACKEND_NAMES as readonly string[]).includes(name)) {
    const backend = tryLoad(name as BackendName);
    if (!(backend instanceof Error)) return backend;
    throw new Error(`Cannot use the ${name} backend: ${backend.message}`, { cause: backend });
  }
  const expected = [...BACKEND_NAMES, "auto"].map((n) => `"${n}"`);
  throw new RangeError(
    `Expected the backend name${fromEnv === undefined ? "" : " in BACKPROP_BACKEND"} ` +
      `to be ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)} but found "${name}"`,
  );
}

/**
 * The backend used when none is passed: {@linkcode getBackend} with no options, chosen on the
 * first call and kept.
 *
 * @returns The default backend.
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES, defaultBackend } from "./get_backend.ts";
 * import { assert } from "@std/assert";
 *
 * assert((BACKEND_NAMES as readonly string[]).includes(defaultBackend().name));
 * ```
 */
export function defaultBackend(): Backend {
  return chosen ??= getBackend();
}

/**
 * Every backend of {@linkcode BACKEND_NAMES} that loads here, in that order (js always first):
 * for tests and benchmarks that run on each.
 *
 * @returns The backends.
 *
 * @example
 * ```ts
 * import { availableBackends } from "./get_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(availableBackends()[0].name, "js");
 * ```
 */
export function availableBackends(): Backend[] {
  return BACKEND_NAMES.flatMap((name) => {
    const backend = tryLoad(name);
    return backend instanceof Error ? [] : [backend];
  });
}
