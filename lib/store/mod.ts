/**
 * The run store: a run's key, one sealed file per run, the audit of reused runs, provenance.
 *
 * @module
 */

export * from "./training_code.ts";
export * from "./run_key.ts";
export * from "./run_store.ts";
export * from "./audit.ts";
export * from "./provenance.ts";
