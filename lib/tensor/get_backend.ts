/**
 * Backend selection: OpenBLAS when it loads, else the js backend; an option or the
 * BACKPROP_BACKEND environment variable picks one explicitly.
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import { jsBackend } from "./backends/js.ts";
import { loadOpenblas } from "./backends/openblas.ts";

/**
 * The backends this package ships, by name: the one list of them (js first, the reference).
 *
 * @example
 * ```ts
 * import { BACKEND_NAMES } from "./get_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(BACKEND_NAMES, ["js", "openblas"]);
 * ```
 */
export const BACKEND_NAMES = ["js", "openblas"] as const;

/** The name of a backend this package ships: one of {@linkcode BACKEND_NAMES}. */
export type BackendName = typeof BACKEND_NAMES[number];

/** How each shipped backend is made: js is always there, OpenBLAS may fail to load. */
const REGISTRY: { readonly [N in BackendName]: () => Backend } = {
  js: () => jsBackend,
  openblas: () => {
    const blas = tryOpenblas();
    if (blas instanceof Error) {
      throw new Error(`Cannot use the openblas backend: ${blas.message}`, { cause: blas });
    }
    return blas;
  },
};

/**
 * The environment variable that selects a backend: "js", "openblas" or "auto".
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
   * Which backend: "js", "openblas" (an error if it cannot load), or "auto" (OpenBLAS when it
   * loads, else js, saying so once on the console).
   *
   * @default {the BACKPROP_BACKEND environment variable when set and readable, else "auto"}
   */
  name?: BackendName | "auto";
}

let openblas: Backend | Error | undefined;
let saidFallback = false;
let chosen: Backend | undefined;

/**
 * The backend to use: the one named by the option, else by BACKPROP_BACKEND, else OpenBLAS when
 * it loads (FFI permitted and the library found), else js.
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
    const blas = tryOpenblas();
    if (!(blas instanceof Error)) return blas;
    if (!saidFallback) {
      saidFallback = true;
      console.error(`Using the js backend: ${blas.message}`);
    }
    return jsBackend;
  }
  if (isBackendName(name)) return REGISTRY[name]();
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
 * Every backend of {@linkcode BACKEND_NAMES} usable here, in that order: js always, then
 * OpenBLAS when it loads. For tests and benchmarks that run on each.
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
    try {
      return [REGISTRY[name]()];
    } catch {
      return []; // does not load here
    }
  });
}

function tryOpenblas(): Backend | Error {
  if (openblas === undefined) {
    try {
      openblas = loadOpenblas();
    } catch (error) {
      openblas = error instanceof Error ? error : new Error(String(error));
    }
  }
  return openblas;
}

function backendFromEnv(): string | undefined {
  const permission = Deno.permissions.querySync({ name: "env", variable: BACKEND_ENV_VAR });
  if (permission.state !== "granted") return undefined;
  const value = Deno.env.get(BACKEND_ENV_VAR)?.trim();
  return value === "" ? undefined : value;
}
