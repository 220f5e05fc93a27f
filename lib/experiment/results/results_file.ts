/**
 * Results files: written by one command at a time, checked before any work, replaced atomically.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { isSealed, seal, toFileFrame } from "./_file_format.ts";
import type { GridResult } from "./grid_result.ts";
import { errorMessage, writeAtomically } from "../../store/run_store.ts";

/** A results file that cannot be written: the message names it and says why. */
export class ResultsFileError extends Error {
  override name = "ResultsFileError";
}

/** Options of {@linkcode ResultsFile.open}. */
export interface ResultsFileOptions {
  /** Replace an existing file even when it is not a results file of this project. @default {false} */
  force?: boolean;
}

/**
 * An open results file: {@linkcode ResultsFile.open} checks the target and takes an advisory
 * lock (`.NAME.lock` beside it, released when the process ends, however it ends);
 * {@linkcode ResultsFile.write} replaces the file atomically; disposing releases the lock.
 *
 * @example Write twice, the second write replacing the first
 * ```ts
 * import { ResultsFile } from "./results_file.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertThrows } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * {
 *   using file = ResultsFile.open(`${dir}/grid.parquet`);
 *   file.write(mixedResult());
 *   file.write(mixedResult());
 *   // a second writer is refused while the first holds the file
 *   assertThrows(() => ResultsFile.open(`${dir}/grid.parquet`), Error, "another command");
 * }
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class ResultsFile implements Disposable {
  /** The absolute path of the file. */
  readonly path: string;
  #lock: Deno.FsFile;

  private constructor(path: string, lock: Deno.FsFile) {
    this.path = path;
    this.#lock = lock;
  }

  /**
   * Checks the target before any work and takes the lock: not a folder, its folder made if
   * missing and writable, no other command writing it, and an existing file there a results
   * file of this project (unless `force`); else a {@linkcode ResultsFileError} saying which.
   *
   * @param path The file; relative paths are taken from the current folder.
   * @param options Whether to replace a file that is not a results file.
   * @returns The open results file.
   */
  static open(path: string, options: ResultsFileOptions = {}): ResultsFile {
    const target = resolve(path);
    const fail = (why: string) =>
      new ResultsFileError(`Cannot write the results file ${target}: ${why}`);
    const existing = orNull(() => Deno.statSync(target));
    if (existing?.isDirectory) throw fail("it is a folder");
    // an unreadable file is not known to be ours
    if (existing !== null && !options.force && !orNull(() => isSealed(Deno.readFileSync(target)))) {
      throw fail(
        "a file is there that is not a results file of this project; force it to replace it",
      );
    }
    const dir = dirname(target);
    try {
      Deno.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fail(`its folder ${dir} cannot be made (${errorMessage(error)})`);
    }
    const lockPath = join(dir, `.${basename(target)}.lock`);
    let lock: Deno.FsFile;
    try {
      lock = Deno.openSync(lockPath, { write: true, create: true });
    } catch (error) {
      throw fail(`nothing can be written in its folder ${dir} (${errorMessage(error)})`);
    }
    if (!lock.tryLockSync(true)) {
      lock.close();
      throw fail(`another command is writing it (it holds ${lockPath}); wait until it ends`);
    }
    return new ResultsFile(target, lock);
  }

  /**
   * Replaces the file with a grid's result, atomically (see {@linkcode writeAtomically}).
   *
   * @param result The grid's result (all its runs, or those finished so far).
   */
  write(result: GridResult): void {
    const bytes = seal(toFileFrame(result).writeParquet({ compression: "zstd" }));
    const name = `.${basename(this.path)}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeAtomically(this.path, bytes, join(dirname(this.path), name));
    } catch (error) {
      const message = `Cannot write the results file ${this.path}: ${errorMessage(error)}`;
      throw new ResultsFileError(message, { cause: error });
    }
  }

  /** Releases the lock. */
  [Symbol.dispose](): void {
    this.#lock.close();
  }
}

/**
 * Saves a grid's result as one sealed parquet file that {@linkcode loadGridResult} reads back,
 * written as {@linkcode ResultsFile.write} writes, after {@linkcode ResultsFile.open}'s checks.
 *
 * @param result The grid's result.
 * @param path The file to write, e.g. `resultsPath("lr-sweep")`.
 * @param options Whether to replace a file that is not a results file.
 * @returns The absolute path written.
 *
 * @example Save and load back
 * ```ts
 * import { loadGridResult, saveGridResult } from "../../mod.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assert } from "@std/assert";
 *
 * const grid = mixedResult();
 * const dir = Deno.makeTempDirSync();
 * const path = saveGridResult(grid, `${dir}/grid.parquet`);
 * assert(loadGridResult(path).batches.frameEqual(grid.batches));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function saveGridResult(
  result: GridResult,
  path: string,
  options: ResultsFileOptions = {},
): string {
  using file = ResultsFile.open(path, options);
  file.write(result);
  return file.path;
}

/** What `f` returns, or null when it throws. */
function orNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
