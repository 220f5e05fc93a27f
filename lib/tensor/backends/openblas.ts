/**
 * The OpenBLAS backends: gemm is the system OpenBLAS's `cblas_sgemm` through `Deno.dlopen`, axpby
 * `cblas_saxpby`, with typed arrays passed as buffers (no copies); every other primitive comes
 * from the wasm kernels ("openblas", its matrices in their module's memory) or from the js loops
 * ("openblas-js"). Needs `--allow-ffi` (and for "openblas", permission to read the kernels).
 *
 * @module
 */

import { envVar } from "../../options/option_rules.ts";
import { type Backend, defineBackend } from "../backend.ts";
import { jsPrimitives } from "./js.ts";
import { loadWasm, type WasmBackend } from "./wasm.ts";

/**
 * The names `Deno.dlopen` tries, in order, when no path is given, after the path in the
 * BACKPROP_OPENBLAS environment variable (set by scripts/cli.sh, which grants FFI for it alone).
 */
const OPENBLAS_LIBRARY_NAMES: readonly string[] = [
  "libopenblas.so.0", // Debian and Ubuntu's libopenblas0
  "libopenblas.so",
  "libopenblas.dylib",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

/** Options of {@linkcode loadOpenblas}. */
export interface LoadOpenblasOptions {
  /** A path or a name to open. @default {the first of OPENBLAS_LIBRARY_NAMES that opens} */
  path?: string;
  /** OpenBLAS's thread count. @default {its OPENBLAS_NUM_THREADS, else one per core} */
  numThreads?: number;
  /** What runs the rest: "wasm" (backend "openblas") or "js" ("openblas-js"). @default {"wasm"} */
  elementwise?: "wasm" | "js";
}

const SIX_I32 = ["i32", "i32", "i32", "i32", "i32", "i32"] as const;

const SYMBOLS = {
  // cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
  cblas_sgemm: {
    parameters: [...SIX_I32, "f32", "buffer", "i32", "buffer", "i32", "f32", "buffer", "i32"],
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

// CBLAS's CblasRowMajor, CblasNoTrans and CblasTrans
const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

/** Libraries already opened, by the path asked for: each is opened once per process. */
const opened = new Map<string, OpenblasLibrary>();

/**
 * An OpenBLAS backend, opening the library once per process; throws an Error saying why it cannot
 * be used: FFI not permitted, no library found, or (for "openblas") the wasm kernels not loading.
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
 *   const c = blas.gemm({ a, b: a, c: new Matrix(2, 2), transB: true }); // a · aᵀ
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
  const threads: NonNullable<Backend["threads"]> = {
    count: () => library.symbols.openblas_get_num_threads(),
    set(count: number) {
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError(`Expected numThreads to be a positive integer but found ${count}`);
      }
      library.symbols.openblas_set_num_threads(count);
    },
  };
  if (numThreads !== undefined) threads.set(numThreads);
  const { cblas_sgemm: sgemm, cblas_saxpby: saxpby } = library.symbols;
  const wasm = elementwise === "wasm" ? wasmKernels() : undefined;
  return defineBackend(wasm === undefined ? "openblas-js" : "openblas", {
    ...wasm ?? jsPrimitives,
    gemm({ a, b, c, transA = false, transB = false, alpha = 1, beta = 0 }) {
      const m = c.rows, n = c.cols, k = transA ? a.rows : a.cols;
      if (m === 0 || n === 0) return c;
      if (k === 0) { // an empty product, which BLAS rejects (zero leading dimension): C ← beta · C
        for (let i = 0; i < c.size; i++) c.data[i] = beta === 0 ? 0 : beta * c.data[i];
        return c;
      }
      const opA = transA ? TRANS : NO_TRANS, opB = transB ? TRANS : NO_TRANS;
      // row-major leading dimensions are the stored column counts: a.cols, b.cols, n
      sgemm(ROW_MAJOR, opA, opB, m, n, k, alpha, a.data, a.cols, b.data, b.cols, beta, c.data, n);
      return c;
    },
    axpby(args) {
      const { alpha, x, beta, y } = args;
      if (saxpby === null || y.size === 0) return jsPrimitives.axpby(args);
      saxpby(y.size, alpha, x.data, 1, beta, y.data, 1);
      return y;
    },
  }, {
    ...wasm === undefined ? {} : { matrix: wasm.matrix },
    threads,
    identity: () => {
      const config = buildString(library), numThreads = threads.count();
      const coreType = Deno.permissions.querySync({ name: "env", variable: "OPENBLAS_CORETYPE" })
          .state === "granted"
        ? Deno.env.get("OPENBLAS_CORETYPE") ?? "auto"
        : "unknown";
      const elementwise = wasm === undefined ? "js" : wasm.identity();
      return `openblas ${config || "(build string not readable)"}; core type ${coreType}; ` +
        `${numThreads} thread${numThreads === 1 ? "" : "s"}; elementwise: ${elementwise}`;
    },
  });
}

let sharedWasm: WasmBackend | undefined;

/** The wasm kernels of the "openblas" composition: loaded once, shared by the process. */
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

/** OpenBLAS's build string, e.g. "OpenBLAS 0.3.21 … Haswell MAX_THREADS=64", or "" unreadable. */
function buildString(library: OpenblasLibrary): string {
  const config = library.symbols.openblas_get_config();
  try {
    // reading a C string needs FFI permission for everything, not only for the library's file
    return config === null ? "" : Deno.UnsafePointerView.getCString(config);
  } catch {
    return "";
  }
}

function openLibrary(path: string | undefined): OpenblasLibrary {
  const key = path ?? "";
  const cached = opened.get(key);
  if (cached) return cached;
  const named = envVar("BACKPROP_OPENBLAS") ?? [];
  const candidates = (path === undefined ? [named, OPENBLAS_LIBRARY_NAMES].flat() : [path])
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
  const tried = `${candidates.join(", ")} (${failures.join("; ")})`;
  throw new Error(
    `OpenBLAS is not available: could not open ${tried}; on Debian install libopenblas0, ` +
      "or use the js backend",
  );
}
