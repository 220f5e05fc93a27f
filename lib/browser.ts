/**
 * The browser-safe entry: what the report's widgets import, the same modules the notebooks run.
 * Importing it touches no `Deno` API, no Node module, no native addon and no file; the scalar
 * network's training loop, the synthetic data, the seeded generator, batches, `Matrix`, the
 * activations and the js backend. tests/browser_entry_test.ts walks its import graph and runs its
 * browser bundle where there is no `Deno`. Not here yet: the MLP and its optimizers, whose module
 * imports the backend picker and with it the OpenBLAS and file-reading wasm loaders.
 *
 * @module
 */

// data: the seeded generator, the synthetic 2-D set of chapter 03, batches
export { Random } from "./data/random.ts";
export { loadSynth, synthBoundary, synthLabel } from "./data/synth.ts";
export type { SynthData, SynthSplit } from "./data/synth.ts";
export { BatchLoader } from "./data/batch_loader.ts";
// the scalar network of Q3 and Q4, and its training loop
export { ScalarNetwork } from "./scalar/network.ts";
export type { ScalarForward, ScalarGradients } from "./scalar/network.ts";
export { trainScalar } from "./scalar/train.ts";
export type { TrainScalarOptions, TrainScalarResult } from "./scalar/train.ts";
// matrices, the activations and the pure-TypeScript backend
export { Matrix } from "./tensor/matrix.ts";
export { ACTIVATION_NAMES, ACTIVATIONS } from "./tensor/activation.ts";
export { jsBackend } from "./tensor/backends/js.ts";
