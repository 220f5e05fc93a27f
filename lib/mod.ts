/**
 * Backpropagation, worked in TypeScript: the public entry of the library the notebooks use.
 * Re-exports only.
 *
 * @module
 */

export * from "./data/mod.ts";
export * from "./scalar/mod.ts";
export * from "./check/mod.ts";
export * from "./report/mod.ts";
export * from "./tensor/mod.ts";
export * from "./nn/mod.ts";
export * from "./experiment/mod.ts";
