/**
 * The run store: one sealed file per trained run, named by its key, in a folder git ignores.
 *
 * An entry's bytes: the magic line {@linkcode ENTRY_MAGIC}, a little-endian uint32 with the
 * header's length, the header (JSON: the key, its parts, the record without its arrays, and the
 * network's layer sizes or null), the batch losses as float32, the network's weights and biases
 * as float32 when it was kept, then the SHA-256 of everything before it (the seal, checked before
 * anything is parsed).
 *
 * @module
 */

import { createHash, randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunRecord } from "../experiment/results/run_record.ts";
import { envVar } from "../options/option_rules.ts";
import { RUN_KEY_PARTS, type RunKeyParts } from "./run_key.ts";

/** What starts every entry; the version changes when the layout does. */
export const ENTRY_MAGIC = "backprop-run/1\n";

/** A run as the store keeps it: its record without the grid's run index. */
export type StoredRun = Omit<RunRecord, "run">;

/** What a store entry holds. */
export interface StoreEntry {
  /** The key it is filed under. */
  key: string;
  /** The parts of that key. */
  parts: RunKeyParts;
  /** The run. */
  run: StoredRun;
}

const encoder = new TextEncoder();
const MAGIC = encoder.encode(ENTRY_MAGIC);

/** The sealed bytes of an entry (see the module's notes). */
function encodeEntry(entry: StoreEntry): Uint8Array {
  const { batchLosses, network, ...rest } = entry.run;
  const arrays = [batchLosses, ...network?.weights ?? [], ...network?.biases ?? []];
  const { key, parts } = entry, losses = batchLosses.length, sizes = network?.sizes ?? null;
  const header = encoder.encode(JSON.stringify(
    { key, parts, run: rest, losses, network: sizes },
    (_, v) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v, // JSON lacks them
  ));
  const floats = arrays.reduce((sum, a) => sum + a.length, 0);
  const body = new Uint8Array(MAGIC.length + 4 + header.length + 4 * floats + 32);
  body.set(MAGIC);
  new DataView(body.buffer).setUint32(MAGIC.length, header.length, true);
  body.set(header, MAGIC.length + 4);
  let at = MAGIC.length + 4 + header.length;
  for (const array of arrays) {
    body.set(new Uint8Array(Float32Array.from(array).buffer), at);
    at += 4 * array.length;
  }
  const sealAt = body.length - 32;
  body.set(createHash("sha256").update(body.subarray(0, sealAt)).digest(), sealAt);
  return body;
}

/** Reads an entry's bytes back; throws saying what is wrong (not an entry, damaged, other key). */
function decodeEntry(bytes: Uint8Array, key: string): StoreEntry {
  if (
    bytes.length < MAGIC.length + 4 + 32 ||
    new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== ENTRY_MAGIC
  ) {
    throw new Error(`not a run-store entry (expected it to start with "${ENTRY_MAGIC.trim()}")`);
  }
  const sealAt = bytes.length - 32;
  const digest = createHash("sha256").update(bytes.subarray(0, sealAt)).digest();
  if (!digest.equals(bytes.subarray(sealAt))) {
    throw new Error("its SHA-256 does not match its seal (damaged or changed)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = MAGIC.length + 4 + view.getUint32(MAGIC.length, true);
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerEnd)),
    (_, v) => v === "NaN" || v === "Infinity" || v === "-Infinity" ? Number(v) : v,
  );
  if (header.key !== key) throw new Error(`it holds the run of key ${header.key}, not ${key}`);
  const sizes: number[] | null = header.network;
  const layers = sizes === null ? [] : sizes.slice(1).map((n, l) => ({ w: sizes[l] * n, b: n }));
  const lengths = [header.losses, ...layers.map((l) => l.w), ...layers.map((l) => l.b)];
  const floats = lengths.reduce((sum: number, n: number) => sum + n, 0);
  if (4 * floats !== sealAt - headerEnd) {
    throw new Error(`it declares ${floats} numbers but holds ${(sealAt - headerEnd) / 4}`);
  }
  for (const part of RUN_KEY_PARTS) {
    if (typeof header.parts?.[part] !== "string") throw new Error(`its key has no ${part} part`);
  }
  let at = headerEnd;
  const arrays = lengths.map((n) => new Float32Array(bytes.slice(at, at += 4 * n).buffer));
  const run = { ...header.run, batchLosses: arrays[0] };
  if (sizes !== null) {
    const n = 1 + layers.length;
    run.network = { sizes, weights: arrays.slice(1, n), biases: arrays.slice(n) };
  }
  return { key, parts: header.parts, run };
}

/**
 * A folder of run entries, one file per key (`<first two digits>/<key>.run`). Reads never
 * throw: a missing entry is a miss, a damaged, foreign or unreadable one a miss with one warning
 * line naming it. Writes are atomic ({@linkcode writeAtomically}), so two processes writing the
 * same entry leave one whole entry.
 *
 * @example Put a run and get it back
 * ```ts
 * import { RunStore } from "./run_store.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * const store = new RunStore(dir);
 * const parts = { config: "{}", data: "d", code: "c", backend: "js", runtime: "deno" };
 * const run = {
 *   config: {} as never, numBatches: 1, batchLosses: new Float32Array([2.3]), epochs: [],
 *   diverged: null, seconds: 0.1,
 * };
 * assertEquals(store.get("ab12"), undefined);
 * store.put({ key: "ab12", parts, run });
 * assertEquals(store.get("ab12")!.run.batchLosses, new Float32Array([2.3]));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class RunStore {
  /** The folder. */
  readonly dir: string;

  /** @param dir The folder (made on the first write). */
  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * The store this process uses: the folder `BACKPROP_CACHE` names, none (null) when it is
   * "off", else `.cache/runs/` at the project's root.
   *
   * @returns The store, or null.
   */
  static fromEnv(): RunStore | null {
    const value = envVar("BACKPROP_CACHE")?.trim();
    if (value === "off") return null;
    return new RunStore(value || fileURLToPath(new URL("../../.cache/runs", import.meta.url)));
  }

  /**
   * The file of a key.
   *
   * @param key The key, hex digits.
   * @returns Its path.
   */
  path(key: string): string {
    if (!/^[0-9a-z]{4,}$/.test(key)) {
      throw new RangeError(`Expected a run key of hex digits but found "${key}"`);
    }
    return join(this.dir, key.slice(0, 2), `${key}.run`);
  }

  /**
   * Whether the store has a file for a key (whole or not: {@linkcode RunStore.get} checks it).
   *
   * @param key The key.
   * @returns True when the file is there.
   */
  has(key: string): boolean {
    try {
      Deno.statSync(this.path(key));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The entry of a key, or undefined (a miss; with a warning when the file cannot be used).
   *
   * @param key The key.
   * @returns The entry, or undefined.
   */
  get(key: string): StoreEntry | undefined {
    const path = this.path(key);
    try {
      return decodeEntry(Deno.readFileSync(path), key);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        const reason = errorMessage(error);
        console.warn(`run store: ignoring ${path}: ${reason}; the run is trained again`);
      }
      return undefined;
    }
  }

  /**
   * Writes an entry atomically, replacing any entry of the same key. A failure to write (a full
   * disk) is a warning, not an error: the run was trained all the same.
   *
   * @param entry The entry.
   * @returns The path written, or undefined when it could not be.
   */
  put(entry: StoreEntry): string | undefined {
    const path = this.path(entry.key);
    try {
      Deno.mkdirSync(join(this.dir, entry.key.slice(0, 2)), { recursive: true });
      writeAtomically(path, encodeEntry(entry), `${path}.${randomBytes(6).toString("hex")}.tmp`);
      return path;
    } catch (error) {
      const reason = errorMessage(error);
      console.warn(`run store: could not write ${path} (${reason}); the run is not kept`);
      return undefined;
    }
  }
}

/**
 * Writes a file atomically: the bytes go to `temporary` (a new file in the same folder), are
 * flushed, then renamed over `path`, so a reader (or a crash) sees the old file or the new one,
 * never a part. On failure the temporary file is removed and the error thrown.
 *
 * @param path The file.
 * @param bytes Its new contents.
 * @param temporary The temporary file's path, in path's folder.
 */
export function writeAtomically(path: string, bytes: Uint8Array, temporary: string): void {
  try {
    {
      using file = Deno.openSync(temporary, { write: true, createNew: true });
      for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
      file.syncSync();
    }
    Deno.renameSync(temporary, path);
  } catch (error) {
    try {
      Deno.removeSync(temporary);
    } catch { /* never made */ }
    throw error;
  }
}

/** An error's message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
