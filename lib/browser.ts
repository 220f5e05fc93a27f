/**
 * The browser-safe entry: what the report's widgets import, the same modules the notebooks run.
 * Importing it touches no `Deno` API, no Node module, no native addon and no file; the scalar
 * network's training loop, the synthetic data, the seeded generator, batches, `Matrix`, the
 * activations, the js backend and the wasm kernels' browser loader; the MLP, its optimizers,
 * one-core steps and evaluation, and labelled images from bytes. tests/browser_entry_test.ts and
 * tests/browser_mlp_test.ts run its browser bundle where there is no `Deno`. The MLP's module imports the backend picker, whose
 * `Deno` uses (environment, FFI, files) run only when no backend is passed: pass one.
 *
 * @module
 */

// data: the seeded generator, the synthetic 2-D set of chapter 03, batches
export { Random } from "./data/random.ts";
export { loadSynth, synthBoundary, synthLabel } from "./data/synth.ts";
export type { SynthData, SynthSplit } from "./data/synth.ts";
export { BatchLoader } from "./data/batch_loader.ts";
export { LabelledImages } from "./data/labelled_images.ts";
// the scalar network of Q3 and Q4, and its training loop
export { ScalarNetwork } from "./scalar/network.ts";
export type { ScalarForward, ScalarGradients } from "./scalar/network.ts";
export { trainScalar } from "./scalar/train.ts";
export type { TrainScalarOptions, TrainScalarResult } from "./scalar/train.ts";
// matrices, the activations and the pure-TypeScript backend
export { Matrix } from "./tensor/matrix.ts";
export { ACTIVATION_NAMES, ACTIVATIONS } from "./tensor/activation.ts";
export { jsBackend } from "./tensor/backends/js.ts";
// the wasm kernels, fetched and compiled in the page or Worker (relaxed SIMD, plain SIMD or js)
export { loadWasmBrowser, WASM_KERNELS } from "./tensor/backends/wasm_browser.ts";
export type {
  BrowserBackend,
  LoadWasmBrowserOptions,
  WasmKernels,
} from "./tensor/backends/wasm_browser.ts";
// the MLP of Q5 to Q7: its steps on one core, its optimizers, its evaluation
export { Mlp } from "./nn/mlp.ts";
export { Sgd } from "./nn/sgd.ts";
export { Adam } from "./nn/adam.ts";
export { oneCore } from "./nn/step_strategy.ts";
export { evaluate } from "./nn/evaluate.ts";
