/**
 * The OpenBLAS backends: gemm is `cblas_sgemm` from the system's OpenBLAS (Debian's
 * libopenblas0), reached through `Deno.dlopen`, and axpby (the SGD step) `cblas_saxpby`; every
 * other primitive (Adam, the elementwise passes, compaction) comes from another backend, named
 * in the composition's name:
 *
 * - "openblas": the wasm backend's SIMD kernels, the matrices then living in that module's
 *   memory (OpenBLAS reads them there). Fails to load when the kernels do not.
 * - "openblas-js": the js backend's loops, on ordinary matrices.
 *
 * Typed arrays are passed as "buffer" parameters: no copies. Needs `--allow-ffi` (and for
 * "openblas", permission to read the kernels).
 *
 * @module
 */

import { type AxpbyArgs, type Backend, defineBackend, type GemmArgs } from "../backend.ts";
import type { Matrix } from "../matrix.ts";
import { jsPrimitives } from "./js.ts";
import { loadWasm, type WasmBackend } from "./wasm.ts";

/**
 * The names `Deno.dlopen` tries, in order, when no path is given, after the path in the
 * BACKPROP_OPENBLAS environment variable (set by the commands' launcher, scripts/cli.sh, which
 * grants FFI for that file alone).
 *
 * @example
 * ```ts
 * import { OPENBLAS_LIBRARY_NAMES } from "./openblas.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(OPENBLAS_LIBRARY_NAMES[0], "libopenblas.so.0");
 * ```
 */
export const OPENBLAS_LIBRARY_NAMES: readonly string[] = [
  "libopenblas.so.0", // Debian and Ubuntu's libopenblas0
  "libopenblas.so",
  "libopenblas.dylib",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

/** Options of {@linkcode loadOpenblas}. */
export interface LoadOpenblasOptions {
  /**
   * The library to open: a path or a name for the dynamic loader to find.
   *
   * @default {the first of OPENBLAS_LIBRARY_NAMES that opens}
   */
  path?: string;
  /**
   * The number of threads OpenBLAS uses (openblas_set_num_threads); undefined leaves OpenBLAS's
   * own choice (its OPENBLAS_NUM_THREADS variable, else one per core).
   *
   * @default {undefined}
   */
  numThreads?: number;
  /**
   * Which backend runs every primitive besides the products: "wasm" gives the backend named
   * "openblas", "js" the one named "openblas-js".
   *
   * @default {"wasm"}
   */
  elementwise?: "wasm" | "js";
}

const SYMBOLS = {
  // cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  // cblas_saxpby(N, alpha, X, incX, beta, Y, incY): an OpenBLAS extension to CBLAS
  cblas_saxpby: {
    parameters: ["i32", "f32", "buffer", "i32", "f32", "buffer", "i32"],
    result: "void",
    optional: true,
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

type OpenblasLibrary = Deno.DynamicLibrary<typeof SYMBOLS>;

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

/** Libraries already opened, by the path asked for: each is opened once per process. */
const opened = new Map<string, OpenblasLibrary>();

/**
 * An OpenBLAS backend. Opens the library on first use (and keeps it open); throws an Error
 * saying why when it cannot be used: FFI not permitted, no library found, or (for "openblas")
 * the wasm kernels not loading.
 *
 * @param options Which library, how many threads, and what runs the other primitives.
 * @returns The backend, named "openblas" (with the wasm kernels) or "openblas-js".
 *
 * @example Same product as the js backend
 * ```ts
 * import { loadOpenblas } from "./openblas.ts";
 * import { Matrix } from "../matrix.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let blas;
 * try {
 *   blas = loadOpenblas();
 * } catch {
 *   blas = undefined; // no OpenBLAS on this machine, or no --allow-ffi
 * }
 * if (blas) {
 *   const a = Matrix.from([[1, 2], [3, 4]]);
 *   const c = blas.gemm({ a, b: a, c: Matrix.zeros(2, 2), transB: true }); // a · aᵀ
 *   assertEquals(c.toArray(), [[5, 11], [11, 25]]);
 * }
 * ```
 */
export function loadOpenblas(options: LoadOpenblasOptions = {}): Backend {
  const { path, numThreads, elementwise = "wasm" } = options;
  if (elementwise !== "wasm" && elementwise !== "js") {
    throw new RangeError(`Expected elementwise to be "wasm" or "js" but found "${elementwise}"`);
  }
  const library = openLibrary(path);
  if (numThreads !== undefined) {
    if (!Number.isInteger(numThreads) || numThreads < 1) {
      throw new RangeError(`Expected numThreads to be a positive integer but found ${numThreads}`);
    }
    library.symbols.openblas_set_num_threads(numThreads);
  }
  const sgemm = library.symbols.cblas_sgemm;
  const saxpby = library.symbols.cblas_saxpby;
  const wasm = elementwise === "wasm" ? wasmKernels() : undefined;
  return defineBackend(wasm === undefined ? "openblas-js" : "openblas", {
    ...wasm ?? jsPrimitives,
    gemm(args: GemmArgs): Matrix {
      const { a, b, c, transA = false, transB = false, alpha = 1, beta = 0 } = args;
      const m = c.rows, n = c.cols, k = transA ? a.rows : a.cols;
      if (m === 0 || n === 0) return c;
      if (k === 0) { // an empty product, which BLAS rejects (zero leading dimension): C ← beta · C
        for (let i = 0; i < c.size; i++) c.data[i] = beta === 0 ? 0 : beta * c.data[i];
        return c;
      }
      // row-major leading dimensions are the stored column counts
      sgemm(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        alpha,
        a.data,
        a.cols,
        b.data,
        b.cols,
        beta,
        c.data,
        n,
      );
      return c;
    },
    axpby(args: AxpbyArgs): Matrix {
      const { alpha, x, beta, y } = args;
      if (saxpby === null || y.size === 0) return jsPrimitives.axpby(args);
      saxpby(y.size, alpha, x.data, 1, beta, y.data, 1);
      return y;
    },
  }, {
    ...wasm === undefined ? {} : { matrix: wasm.matrix },
    threads: {
      count: () => library.symbols.openblas_get_num_threads(),
      set(count: number) {
        if (!Number.isInteger(count) || count < 1) {
          throw new RangeError(`Expected a thread count of at least 1 but found ${count}`);
        }
        library.symbols.openblas_set_num_threads(count);
      },
    },
    identity: () => {
      const { config, numThreads } = openblasInfo({ ...path === undefined ? {} : { path } });
      const coreType = Deno.permissions.querySync({ name: "env", variable: "OPENBLAS_CORETYPE" })
          .state === "granted"
        ? Deno.env.get("OPENBLAS_CORETYPE") ?? "auto"
        : "unknown";
      return `openblas ${config || "(build string not readable)"}; core type ${coreType}; ` +
        `${numThreads} thread${numThreads === 1 ? "" : "s"}; elementwise: ${
          wasm === undefined ? "js" : wasm.identity()
        }`;
    },
  });
}

let sharedWasm: WasmBackend | undefined;

/**
 * The wasm kernels the "openblas" composition runs its other primitives on: loaded once, shared
 * by every OpenBLAS backend of the process. Throws, saying why, when they do not load.
 */
function wasmKernels(): WasmBackend {
  try {
    sharedWasm ??= loadWasm();
  } catch (error) {
    throw new Error(
      `The wasm kernels that run the openblas backend's other primitives do not load (${
        error instanceof Error ? error.message : error
      }); the openblas-js backend runs them on the js loops instead`,
      { cause: error },
    );
  }
  return sharedWasm;
}

/**
 * What the opened OpenBLAS says about itself: its build configuration and thread count.
 *
 * @param options Which library (its numThreads is ignored).
 * @returns The configuration string (e.g. "OpenBLAS 0.3.21 … Haswell MAX_THREADS=64"; "" when
 * FFI is granted for the library's file alone) and the number of threads it uses.
 *
 * @example
 * ```ts
 * import { openblasInfo } from "./openblas.ts";
 * import { assert } from "@std/assert";
 *
 * try {
 *   const info = openblasInfo();
 *   assert(info.config.startsWith("OpenBLAS") && info.numThreads >= 1);
 * } catch (error) {
 *   assert(String(error).includes("OpenBLAS is not available")); // none here
 * }
 * ```
 */
export function openblasInfo(
  options: LoadOpenblasOptions = {},
): { config: string; numThreads: number } {
  const library = openLibrary(options.path);
  const config = library.symbols.openblas_get_config();
  let text = "";
  try {
    // reading a C string needs FFI permission for everything, not only for the library's file
    if (config !== null) text = Deno.UnsafePointerView.getCString(config);
  } catch {
    // FFI granted for the library alone: the build string stays unknown
  }
  return {
    config: text,
    numThreads: library.symbols.openblas_get_num_threads(),
  };
}

function openLibrary(path: string | undefined): OpenblasLibrary {
  const key = path ?? "";
  const cached = opened.get(key);
  if (cached) return cached;
  const named = Deno.permissions.querySync({ name: "env", variable: "BACKPROP_OPENBLAS" })
      .state === "granted"
    ? Deno.env.get("BACKPROP_OPENBLAS")
    : undefined;
  const candidates = (path === undefined ? [named ?? [], OPENBLAS_LIBRARY_NAMES].flat() : [path])
    .filter((candidate) =>
      Deno.permissions.querySync({ name: "ffi", path: candidate }).state === "granted"
    );
  if (candidates.length === 0) {
    throw new Error("OpenBLAS is not available: FFI is not permitted (run Deno with --allow-ffi)");
  }
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      const library = Deno.dlopen(candidate, SYMBOLS);
      opened.set(key, library);
      return library;
    } catch (error) {
      failures.push(`${candidate}: ${error instanceof Error ? error.message : error}`);
    }
  }
  throw new Error(
    `OpenBLAS is not available: could not open ${candidates.join(", ")} (${
      failures.join("; ")
    }); ` +
      "on Debian install libopenblas0, or use the js backend",
  );
}
