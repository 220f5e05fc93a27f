/**
 * Where this process's runs came from: how many were reused from the run store, trained and
 * audited, with the training code's fingerprint. A notebook ends with it.
 *
 * @module
 */

import type { Backend } from "../tensor/backend.ts";
import { defaultBackend } from "../tensor/get_backend.ts";
import { trainingCode } from "./training_code.ts";

/** Runs counted so far in this process. */
export interface RunTally {
  /** Runs taken from the store. */
  reused: number;
  /** Runs trained (audits not included). */
  trained: number;
  /** Stored runs trained again and found bit-identical. */
  audited: number;
}

const tally: RunTally = { reused: 0, trained: 0, audited: 0 };

/**
 * Adds a grid's counts to the process's tally.
 *
 * @param counts The grid's runs reused, trained and audited.
 */
export function countRuns(counts: RunTally): void {
  for (const k of ["reused", "trained", "audited"] as const) tally[k] += counts[k];
}

/** What {@linkcode provenance} returns. */
export interface Provenance extends RunTally {
  /** The first 12 hex digits of the training code's fingerprint, or "unknown". */
  code: string;
  /** One line in words, e.g. "Provenance: training code 3f2a…, backend js; 86 runs: …". */
  line: string;
}

/**
 * The process's provenance so far: the training code loaded and the runs of every grid since the
 * process started.
 *
 * @param backend The backend to name in the line, by its identity. @default {defaultBackend()}
 * @returns The counts, the fingerprint and one line in words.
 *
 * @example
 * ```ts
 * import { provenance } from "./provenance.ts";
 * import { jsBackend } from "../tensor/backends/js.ts";
 * import { assertMatch } from "@std/assert";
 *
 * assertMatch(provenance(jsBackend).line, /^Provenance: training code ([0-9a-f]{12}|unknown), backend js; /);
 * ```
 */
export function provenance(backend: Backend = defaultBackend()): Provenance {
  const code = trainingCode();
  const hash = code instanceof Error ? "unknown" : code.hash.slice(0, 12);
  const runs = tally.reused + tally.trained;
  const line = `Provenance: training code ${hash}, backend ${backend.identity()}; ` +
    `${runs} run${runs === 1 ? "" : "s"}: ${tally.reused} reused from the run store, ` +
    `${tally.trained} trained` +
    (tally.audited > 0
      ? `; ${tally.audited} reused run${tally.audited === 1 ? "" : "s"} ` +
        "trained again and found bit-identical"
      : "");
  return { ...tally, code: hash, line };
}
