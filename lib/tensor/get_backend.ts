/**
 * Backend selection: OpenBLAS with the WebAssembly kernels when both load, else the WebAssembly
 * kernels alone when they are built, else OpenBLAS with the js loops, else the js backend; an
 * option or the BACKPROP_BACKEND environment variable picks one explicitly.
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import { jsBackend } from "./backends/js.ts";
import { loadOpenblas } from "./backends/openblas.ts";
import { loadWasm } from "./backends/wasm.ts";

/**
 * The backends this package ships, by name: the one list of them (js first, the reference).
 * "js" and "wasm" compute everything themselves; "openblas" is OpenBLAS's products with the wasm
 * kernels for the other primitives, "openblas-js" the same products with the js loops.
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES } from "./get_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(BACKEND_NAMES, ["js", "openblas", "openblas-js", "wasm"]);
 * ```
 */
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
  let backend = loaded.get(name);
  if (backend === undefined) {
    try {
      backend = LOADERS[name]();
    } catch (error) {
      backend = error instanceof Error ? error : new Error(String(error));
    }
    loaded.set(name, backend);
  }
  return backend;
}

function load(name: BackendName): Backend {
  const backend = tryLoad(name);
  if (backend instanceof Error) {
    throw new Error(`Cannot use the ${name} backend: ${backend.message}`, { cause: backend });
  }
  return backend;
}

/**
 * The environment variable that selects a backend: one of {@linkcode BACKEND_NAMES}, or "auto".
 *
 * @example
 * ```ts
 * import { BACKEND_ENV_VAR } from "./get_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(BACKEND_ENV_VAR, "BACKPROP_BACKEND"); // BACKPROP_BACKEND=js deno … forces js
 * ```
 */
export const BACKEND_ENV_VAR = "BACKPROP_BACKEND";

/** Options of {@linkcode getBackend}. */
export interface GetBackendOptions {
  /**
   * Which backend: one of {@linkcode BACKEND_NAMES} (an error if it cannot load), or "auto"
   * (the first of "openblas", "wasm", "openblas-js" and "js" that loads, saying once on the
   * console which it picked and why, when it is not "openblas").
   *
   * @default {the BACKPROP_BACKEND environment variable when set and readable, else "auto"}
   */
  name?: BackendName | "auto";
}

let saidFallback = false;
let chosen: Backend | undefined;

/**
 * The backend to use: the one named by the option, else by BACKPROP_BACKEND, else "openblas"
 * when it loads (FFI permitted, the library found, the wasm kernels built), else "wasm" when its
 * kernels are built, else "openblas-js" when OpenBLAS loads, else "js".
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
  const fromEnv = options.name === undefined ? backendFromEnv() : undefined;
  const name = options.name ?? fromEnv ?? "auto";
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
  if (isBackendName(name)) return load(name);
  const expected = [...BACKEND_NAMES, "auto"].map((n) => `"${n}"`);
  throw new RangeError(
    `Expected the backend name${fromEnv === undefined ? "" : ` in ${BACKEND_ENV_VAR}`} ` +
      `to be ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)} but found "${name}"`,
  );
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * The backend used when none is passed: {@linkcode getBackend} with no options, chosen
 * on the first call and kept.
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
  chosen ??= getBackend();
  return chosen;
}

/**
 * Every backend of {@linkcode BACKEND_NAMES} usable here, in that order: js always, then each
 * other composition that loads. For tests and benchmarks that run on each.
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
    return backend instanceof Error ? [] : [backend]; // an error: it does not load here
  });
}

function backendFromEnv(): string | undefined {
  const permission = Deno.permissions.querySync({ name: "env", variable: BACKEND_ENV_VAR });
  if (permission.state !== "granted") return undefined;
  const value = Deno.env.get(BACKEND_ENV_VAR)?.trim();
  return value === "" ? undefined : value;
}
