/**
 * Tensors for the vectorized network: a float32 row-major {@linkcode Matrix}, a row-wise
 * {@linkcode softmaxRows}, and the {@linkcode Backend} primitives the network runs on, with four
 * backends ({@linkcode BACKEND_NAMES}): "js" (the reference), "wasm" (SIMD kernels), and
 * OpenBLAS's products with the wasm kernels ("openblas") or the js loops ("openblas-js").
 *
 * @module
 */

export * from "./matrix.ts";
export * from "./softmax.ts";
export * from "./backend.ts";
export * from "./get_backend.ts";
export * from "./backends/js.ts";
export * from "./backends/openblas.ts";
