/**
 * Helpers for the notebooks: plots with Observable Plot outside a browser, tables, polars,
 * progress displays, learning curves, and small PNG images in a grid.
 *
 * @module
 */

export * from "./plot.ts";
export * from "./table.ts";
export { pl } from "./_polars.ts";
export * from "./progress.ts";
export * from "./learning_curve.ts";
export * from "./running_mean.ts";
export * from "./format.ts";
export * from "./mean_std.ts";
export * from "./png.ts";
export * from "./image_grid.ts";
