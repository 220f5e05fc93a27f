/**
 * Experiments: grids of training runs (learning rates × seeds) on MNIST. `run/` runs a grid
 * ({@linkcode runGrid}, {@linkcode bracketedGrid}); `summary/` turns its frames into tables and
 * plot-ready bands; `results/` holds what it leaves: the records, the {@linkcode GridResult}
 * frames and the sealed parquet files. Each folder depends only on the ones after it.
 *
 * @module
 */

export * from "./results/run_record.ts";
export * from "./results/grid_result.ts";
export * from "./results/results_file.ts";
export * from "./results/load_grid_result.ts";
export * from "./results/results_path.ts";
export * from "./results/merge_grid_results.ts";
export * from "./run/run_grid.ts";
export * from "./run/bracketed_grid.ts";
export * from "./summary/summarize_grid.ts";
export * from "./summary/batch_loss_band.ts";
export * from "./summary/epoch_band.ts";
