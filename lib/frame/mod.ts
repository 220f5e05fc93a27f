/**
 * Data frames: polars (nodejs-polars), loaded on first use so that training, which needs no
 * frames, needs no FFI permission. Results files and summaries are polars frames.
 *
 * @module
 */

export * from "./polars.ts";
