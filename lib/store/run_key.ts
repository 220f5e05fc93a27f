/**
 * A run's identity: a content key over everything that decides its numbers, and nothing else.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { LabelledImages } from "../data/labelled_images.ts";
import type { LoadMnistOptions } from "../data/mnist.ts";
import type { TrainMlpConfig } from "../nn/train_mlp.ts";
import type { Backend } from "../tensor/backend.ts";
import { trainingCode } from "./training_code.ts";

/**
 * A run key's parts, in the order they are reported: `config`, the resolved configuration in
 * canonical form; `data`, the SHA-256 of the images and labels it reads; `code`, the training
 * code's fingerprint; `backend`, the backend's identity; `runtime`, Deno's and V8's versions.
 */
export const RUN_KEY_PARTS = ["config", "data", "code", "backend", "runtime"] as const;

/** The parts of a run's key, each a string; the key is the SHA-256 of all of them. */
export type RunKeyParts = Record<(typeof RUN_KEY_PARTS)[number], string>;

/** What a run's configuration part holds: the resolved configuration and how it reads data. */
export interface RunIdentity extends Required<Pick<LoadMnistOptions, "trainLimit" | "evalLimit">> {
  /** The resolved configuration (its backend name is left out: the backend part has it). */
  config: TrainMlpConfig;
  /** Cores the run trains on (two cores sum in another order). */
  cores: number;
  /** "validation" or "test". */
  split: "validation" | "test";
}

/**
 * JSON with object keys sorted at every level and NaN, Infinity, -Infinity as strings: one text
 * for one value of plain data, whatever order its fields were set in.
 */
function canonicalJson(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The data hashes taken, by training set, then evaluation set. */
const dataHashes = new WeakMap<LabelledImages, WeakMap<LabelledImages, string>>();

/**
 * SHA-256 (hex) of the bytes a run reads: the training and evaluation sets' shapes, images and
 * labels. Remembered per pair of sets, so a grid hashes its data once.
 *
 * @param data The training and evaluation sets.
 * @returns The hash.
 */
export function dataHash(data: { train: LabelledImages; eval: LabelledImages }): string {
  const known = dataHashes.get(data.train)?.get(data.eval);
  if (known !== undefined) return known;
  const hash = createHash("sha256");
  for (const set of [data.train, data.eval]) {
    hash.update(`${set.count} ${set.rows} ${set.cols} ${set.numClasses}\0`);
    hash.update(set.images);
    hash.update(set.labels);
  }
  const hex = hash.digest("hex");
  dataHashes.set(data.train, (dataHashes.get(data.train) ?? new WeakMap()).set(data.eval, hex));
  return hex;
}

/**
 * The parts of a run's key in this process. The backend's identity includes OpenBLAS's thread
 * count: take the parts while the run's threads are set. Null when the training code's
 * fingerprint could not be taken (no read permission): such runs are neither stored nor looked up.
 *
 * @param identity The run's configuration and data options.
 * @param dataSha The {@linkcode dataHash} of the sets it reads.
 * @param backend The backend it trains on.
 * @returns The parts, or null.
 */
export function runKeyParts(
  identity: RunIdentity,
  dataSha: string,
  backend: Backend,
): RunKeyParts | null {
  const code = trainingCode();
  if (code instanceof Error) return null;
  const { backend: _name, ...config } = identity.config;
  return {
    config: canonicalJson({ ...identity, config }),
    data: dataSha,
    code: code.hash,
    backend: backend.identity(),
    runtime: `deno ${Deno.version.deno}; v8 ${Deno.version.v8}`,
  };
}

/**
 * The key of a run: the SHA-256 (hex) of its parts. Any change to any part changes it.
 *
 * @param parts The parts.
 * @returns 64 hex digits.
 *
 * @example
 * ```ts
 * import { runKey } from "./run_key.ts";
 * import { assertNotEquals } from "@std/assert";
 *
 * const parts = { config: "{}", data: "d", code: "c", backend: "js", runtime: "deno" };
 * assertNotEquals(runKey(parts), runKey({ ...parts, backend: "wasm" }));
 * ```
 */
export function runKey(parts: RunKeyParts): string {
  return createHash("sha256").update(canonicalJson(parts)).digest("hex");
}
