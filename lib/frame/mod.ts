/**
 * Data frames: polars (nodejs-polars), loaded on first use, for results files and summaries.
 *
 * @module
 */

export * from "./polars.ts";
