/**
 * The notebooks' display: plots with Observable Plot outside a browser, HTML tables, live
 * progress, small PNG images in a grid, and the number formats of the generated prose.
 *
 * @module
 */

export * from "./plot.ts";
export * from "./table.ts";
export * from "./progress.ts";
export * from "./format.ts";
export * from "./png.ts";
export * from "./image_grid.ts";
