/**
 * Tensors for the vectorized network: a float32 row-major {@linkcode Matrix}, a row-wise
 * {@linkcode softmaxRows}, and a small {@linkcode Backend} interface of the primitives the
 * network and its optimizers run on (the products, the SGD and Adam steps, column compaction,
 * the fused elementwise passes), with four backends ({@linkcode BACKEND_NAMES}): pure
 * TypeScript ("js", the reference), WebAssembly SIMD kernels ("wasm"), and OpenBLAS's products
 * through FFI with the wasm kernels ("openblas", used by default when both load) or with the js
 * loops ("openblas-js") for the rest.
 *
 * @module
 */

export * from "./matrix.ts";
export * from "./softmax.ts";
export * from "./backend.ts";
export * from "./get_backend.ts";
export * from "./backends/js.ts";
export * from "./backends/openblas.ts";
