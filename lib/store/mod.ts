/**
 * The run store: each run's identity (a key over its configuration, data, training code, backend
 * and runtime), one sealed file per run under `.cache/runs/`, the audit that retrains some reused
 * runs to prove the key, and the provenance of a process's runs.
 *
 * @module
 */

export * from "./code_fingerprint.ts";
export * from "./training_code.ts";
export * from "./run_key.ts";
export * from "./run_store.ts";
export * from "./audit.ts";
export * from "./provenance.ts";
