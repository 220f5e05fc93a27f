/**
 * Experiments: grids of training runs (learning rates × seeds) on MNIST, in three subfolders,
 * each depending only on the ones after it:
 *
 * - `run/`: running a grid ({@linkcode runGrid}: the run store looked up first, the rest trained
 *   in the calling thread or in Web Workers, `_worker.ts` and `_protocol.ts`) and a grid that
 *   brackets its best rate ({@linkcode bracketedGrid}).
 * - `summary/`: the tables and plot-ready bands of a grid's frames: {@linkcode summarizeGrid},
 *   {@linkcode bestRow}, {@linkcode epochBand}, {@linkcode batchLossBand}.
 * - `results/`: what a grid leaves: each run's {@linkcode RunRecord}, the grid's
 *   {@linkcode GridResult} and its polars frames, the sealed parquet files (saved atomically,
 *   loaded, joined, merged from shards, seeded into the run store), and a record's network.
 *
 * @module
 */

export * from "./results/run_record.ts";
export * from "./results/grid_result.ts";
export * from "./results/save_grid_result.ts";
export * from "./results/results_file.ts";
export * from "./results/load_grid_result.ts";
export * from "./results/results_path.ts";
export * from "./results/join_grids.ts";
export * from "./results/merge_grid_results.ts";
export * from "./results/seed_run_store.ts";
export * from "./results/save_chapter_result.ts";
export * from "./results/record_network.ts";
export * from "./run/run_grid.ts";
export * from "./run/bracketed_grid.ts";
export * from "./summary/summarize_grid.ts";
export * from "./summary/best_row.ts";
export * from "./summary/batch_loss_band.ts";
export * from "./summary/epoch_band.ts";
