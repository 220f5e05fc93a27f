/**
 * Experiments: grids of training runs (learning rates × seeds) on MNIST, run in parallel
 * workers, recorded whole as polars DataFrames, saved atomically as parquet and loaded back, and
 * summarised as tables and plot-ready bands.
 *
 * @module
 */

export * from "./run_record.ts";
export * from "./grid_result.ts";
export * from "./run_grid.ts";
export * from "./save_grid_result.ts";
export * from "./results_file.ts";
export * from "./load_grid_result.ts";
export * from "./results_path.ts";
export * from "./join_grids.ts";
export * from "./merge_grid_results.ts";
export * from "./best_row.ts";
export * from "./bracketed_grid.ts";
export * from "./summarize_grid.ts";
export * from "./batch_loss_band.ts";
export * from "./epoch_band.ts";
export * from "./seed_run_store.ts";
export * from "./save_chapter_result.ts";
export * from "./record_network.ts";
