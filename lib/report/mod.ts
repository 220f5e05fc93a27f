/**
 * Helpers for the notebooks: plots with Observable Plot outside a browser, tables, polars.
 *
 * @module
 */

export * from "./plot.ts";
export * from "./table.ts";
export { default as pl } from "nodejs-polars";
export * from "./progress.ts";
export * from "./learning_curve.ts";
