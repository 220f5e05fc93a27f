/**
 * Tensors for the vectorized network: a float32 row-major {@linkcode Matrix} and a small
 * {@linkcode Backend} interface of the primitives the network runs on (the products, the SGD
 * step, column compaction), with two backends: pure TypeScript, the reference, and OpenBLAS
 * through FFI, used by default when present.
 *
 * @module
 */

export * from "./matrix.ts";
export * from "./backend.ts";
export * from "./get_backend.ts";
export * from "./backends/js.ts";
export * from "./backends/openblas.ts";
