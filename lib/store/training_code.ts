/**
 * The fingerprint of the code that trains a run in this process, taken once, when this module is
 * loaded with the training path (`lib/experiment/run/_run.ts` imports it): the static import closure
 * of that module and of the MNIST loader, as they were on disk then. A long-lived kernel keeps
 * the modules it first imported, and so keeps this fingerprint until it restarts.
 *
 * @module
 */

import { type CodeFingerprint, codeFingerprint } from "./code_fingerprint.ts";

/** The modules the training path starts from: a run, and the data it reads. */
export const TRAINING_ENTRIES: readonly URL[] = [
  new URL("../experiment/run/_run.ts", import.meta.url),
  new URL("../data/mnist.ts", import.meta.url),
];

function take(): CodeFingerprint | Error {
  try {
    const root = new URL("../../", import.meta.url);
    const map = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).imports ?? {};
    return codeFingerprint(TRAINING_ENTRIES, { root, imports: map });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const taken = take();

/**
 * The training code's fingerprint as loaded in this process (see the module's notes), or the
 * error that kept it from being taken (no read permission): without it no run is stored or
 * looked up.
 *
 * @returns The fingerprint, or the error.
 *
 * @example
 * ```ts
 * import { trainingCode } from "./training_code.ts";
 * import { assert } from "@std/assert";
 *
 * const code = trainingCode();
 * assert(code instanceof Error || code.files.includes("lib/nn/train_mlp.ts"));
 * ```
 */
export function trainingCode(): CodeFingerprint | Error {
  return taken;
}
