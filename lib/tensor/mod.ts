/**
 * Tensors for the vectorized network: a float32 row-major {@linkcode Matrix}, a small
 * {@linkcode Backend} interface of primitives with two backends (pure TypeScript, the reference;
 * OpenBLAS through FFI, used by default when present), and the composite ops written once above
 * it: products, bias add, sigmoid, softmax, cross-entropy, the SGD step, column compaction.
 *
 * @module
 */

export * from "./matrix.ts";
export * from "./backend.ts";
export * from "./get_backend.ts";
export * from "./backends/js.ts";
export * from "./backends/openblas.ts";
export * from "./ops/op_options.ts";
export * from "./ops/matmul.ts";
export * from "./ops/add_bias.ts";
export * from "./ops/sigmoid.ts";
export * from "./ops/softmax.ts";
export * from "./ops/softmax_cross_entropy.ts";
export * from "./ops/argmax_rows.ts";
export * from "./ops/sgd_update.ts";
export * from "./ops/compact_columns.ts";
