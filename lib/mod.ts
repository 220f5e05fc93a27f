/**
 * Backpropagation in TypeScript: the library's public entry, what the notebooks and commands use.
 *
 * @module
 */

// data: MNIST, the synthetic 2-D set, batches, the seeded generator
export { BatchLoader, loadMnist, mnistDataDir, Random } from "./data/mod.ts";
export { loadSynth, synthBoundary } from "./data/mod.ts";
export type { LabelledImages, Mnist, SynthSplit } from "./data/mod.ts";
// the scalar network of Q3 and Q4, and the softmax and cross-entropy modules of Q1 and Q2
export { ScalarNetwork, scalarSoftmaxForward, scalarSoftmaxJacobian } from "./scalar/mod.ts";
export { scalarCrossEntropyBackward, scalarCrossEntropyForward } from "./scalar/mod.ts";
export { scalarSoftmaxBackward, scalarSoftmaxCrossEntropyBackward } from "./scalar/mod.ts";
export { scalarSoftmaxCrossEntropyForward, trainScalar } from "./scalar/mod.ts";
export type { ScalarForward, ScalarGradients, TrainScalarResult } from "./scalar/mod.ts";
// gradient checks
export { centralDifference, centralDifferenceJacobian, maxAbsDifference } from "./check/mod.ts";
// plots, tables, formats and progress in the notebooks
export { divergingPng, fix, imageGrid, int, pct, Plot, plot, pmFix, pmPct } from "./report/mod.ts";
export { checkExercise, networkDiagram, Progress, table } from "./report/mod.ts";
export type { DiagramPanel } from "./report/mod.ts";
export {
  activationPlot,
  boundaryPlot,
  misclassified,
  rateAccuracyPlot,
  stepTimings,
} from "./report/mod.ts";
// statistics, and polars for data frames
export { learningCurve, meanStd } from "./stats/mod.ts";
export { pl } from "./frame/mod.ts";
// matrices and their backends
export { availableBackends, getBackend, Matrix } from "./tensor/mod.ts";
export type { Backend, BackendName } from "./tensor/mod.ts";
// the tensor network: layers, activations, optimizers, training
export { Adam, evaluate, flatUnits, Mlp, Sgd, trainMlp } from "./nn/mod.ts";
export type { ActivationName, InitName, LossName, MlpGradients } from "./nn/mod.ts";
export type { OptimizerName, ScheduleName, TrainMlpOptions, TrainMlpResult } from "./nn/mod.ts";
// experiments: grids of runs, their results, summaries and bands
export { batchLossBand, bestRow, bracketedGrid, epochBand, GridResult } from "./experiment/mod.ts";
export { joinGrids, loadGridResult, RATE_LADDER, recordNetwork } from "./experiment/mod.ts";
export { resultsPath, runGrid, saveChapterResult, saveGridResult } from "./experiment/mod.ts";
export { summarizeGrid, summarizeGrids } from "./experiment/mod.ts";
export type { GridConfig, GridSummaryRow, RunGridOptions, RunRecord } from "./experiment/mod.ts";
// the run store: runs looked up by their key, kept in .cache/runs/
export { provenance, RunStore } from "./store/mod.ts";
