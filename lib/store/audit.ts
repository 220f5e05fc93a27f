/**
 * The audit of reused runs: some runs taken from the store are trained again and must come out
 * bit-identical, which proves the key holds everything that decides a run's numbers.
 * `BACKPROP_AUDIT` says how many per process: unset or 0 none, k that many (chosen at random
 * among the runs reused), "all" every one. The report command sets 2.
 *
 * @module
 */

import { Random } from "../data/random.ts";
import { envVar } from "../options/option_rules.ts";
import { RUN_KEY_PARTS, type RunKeyParts } from "./run_key.ts";
import type { StoredRun } from "./run_store.ts";

let budget: number | undefined;

/** The audits this process may still make, from BACKPROP_AUDIT on first use. */
function remaining(): number {
  if (budget !== undefined) return budget;
  const value = envVar("BACKPROP_AUDIT")?.trim() ?? "";
  if (value === "all") budget = Infinity;
  else if (value === "" || value === "off") budget = 0;
  else if (/^\d+$/.test(value)) budget = Number(value);
  else {
    throw new RangeError(
      `Expected BACKPROP_AUDIT to be a whole number of runs or "all" but found "${value}"`,
    );
  }
  return budget;
}

/**
 * Picks at random the reused runs of a grid to train again, spending the process's audit budget.
 *
 * @param reused The reused runs' indices.
 * @returns The indices to audit.
 */
export function pickAudits(reused: readonly number[]): Set<number> {
  const count = Math.min(remaining(), reused.length);
  const shuffled = new Random(Math.floor(Math.random() * 2 ** 32)).shuffle([...reused]);
  budget = remaining() - count;
  return new Set(shuffled.slice(0, count));
}

/** Float32 bits compared as integers: NaN equals NaN, 0 differs from -0. */
function sameFloat32(a: number, b: number): boolean {
  const bits = new Uint32Array(Float32Array.of(a, b).buffer);
  return bits[0] === bits[1];
}

/**
 * The first value in which a run trained again differs from the stored one, in words, or null
 * when they are bit-identical (wall-clock times aside).
 *
 * @param stored The stored run.
 * @param fresh The same run trained again.
 * @returns The difference, or null.
 *
 * @example
 * ```ts
 * import { runDifference } from "./audit.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const run = {
 *   config: {} as never, numBatches: 2, batchLosses: new Float32Array([2.5, 2]), epochs: [],
 *   diverged: null, seconds: 1,
 * };
 * assertEquals(runDifference(run, { ...run, seconds: 2 }), null);
 * assertEquals(
 *   runDifference(run, { ...run, batchLosses: new Float32Array([2.5, 2.25]) }),
 *   "the loss of batch 2: 2 stored, 2.25 trained again",
 * );
 * ```
 */
export function runDifference(stored: StoredRun, fresh: StoredRun): string | null {
  const a = stored.batchLosses, b = fresh.batchLosses;
  if (a.length !== b.length) {
    return `the number of batches: ${a.length} stored, ${b.length} trained again`;
  }
  const i = a.findIndex((x, k) => !sameFloat32(x, b[k]));
  if (i >= 0) return `the loss of batch ${i + 1}: ${a[i]} stored, ${b[i]} trained again`;
  if (stored.epochs.length !== fresh.epochs.length) {
    return `the epochs done: ${stored.epochs.length} stored, ${fresh.epochs.length} trained again`;
  }
  for (const [i, epoch] of stored.epochs.entries()) {
    for (const [field, value] of Object.entries(epoch)) {
      if (field === "trainSeconds") continue;
      const other = fresh.epochs[i][field as keyof typeof epoch];
      if (!Object.is(value, other)) { // bit for bit: NaN equals NaN, 0 differs from -0
        return `${field} of epoch ${i + 1}: ${value} stored, ${other} trained again`;
      }
    }
  }
  const text = (run: StoredRun) =>
    JSON.stringify(run.diverged, (_, v) => Number.isNaN(v) ? "NaN" : v);
  if (text(stored) !== text(fresh)) {
    return `where it diverged: ${text(stored)} stored, ${text(fresh)} trained again`;
  }
  if (stored.network !== undefined && fresh.network !== undefined) {
    const arrays = (run: StoredRun) => [...run.network!.weights, ...run.network!.biases];
    const [a, b] = [arrays(stored), arrays(fresh)];
    for (let l = 0; l < a.length; l++) {
      const i = a[l].findIndex((x, k) => !sameFloat32(x, b[l][k]));
      if (i >= 0 || a[l].length !== b[l].length) {
        const [x, y] = [a[l][i], b[l][i]];
        return `parameter ${i} of the network's array ${l + 1}: ${x} stored, ${y} trained again`;
      }
    }
  }
  if (stored.numBatches !== fresh.numBatches) {
    return `batches per epoch: ${stored.numBatches} stored, ${fresh.numBatches} trained again`;
  }
  return null;
}

/** A reused run that did not come out the same when trained again. */
export class AuditError extends Error {
  override name = "AuditError";

  /**
   * @param what The run, in words (e.g. "lr 0.1, seed 2").
   * @param path The entry's file.
   * @param parts The parts of its key.
   * @param difference The first differing value.
   */
  constructor(what: string, path: string, parts: RunKeyParts, difference: string) {
    const shown = RUN_KEY_PARTS.map((part) =>
      `  ${part}: ${parts[part].length > 200 ? `${parts[part].slice(0, 200)}…` : parts[part]}`
    );
    super(
      `The stored run ${what} (${path}) is not what training it again gives: ${difference}. ` +
        `Its key missed something that decides the numbers; nothing was deleted. ` +
        `The parts of its key:\n${shown.join("\n")}\n` +
        `BACKPROP_CACHE=off trains every run instead of reusing stored ones.`,
    );
  }
}
