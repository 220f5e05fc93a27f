/**
 * A results file being written by one command: its target checked before any work, one writer
 * at a time, and every write an atomic replacement. The file always holds a whole grid (or the
 * runs finished so far), never a half-written one, and never replaces a file that is not one of
 * this project's results without being told to.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { isSealed, seal, toFileFrame } from "./_file_format.ts";
import type { GridResult } from "./grid_result.ts";
import { writeAtomically } from "../../store/run_store.ts";

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
 * lock (a hidden `.NAME.lock` beside it, released when the process ends, however it ends);
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
   * Checks the target before any work and takes the lock: the target is not a folder, its
   * folder exists (made if missing) and is writable, no other command is writing it, and an
   * existing file there is a results file of this project (unless `force`). Each failure is a
   * {@linkcode ResultsFileError} naming the file and the reason.
   *
   * @param path The file; relative paths are taken from the current folder.
   * @param options Whether to replace a file that is not a results file.
   * @returns The open results file.
   */
  static open(path: string, options: ResultsFileOptions = {}): ResultsFile {
    const target = resolve(path);
    const fail = (why: string) =>
      new ResultsFileError(`Cannot write the results file ${target}: ${why}`);
    const existing = statOrNull(target);
    if (existing?.isDirectory) throw fail("it is a folder");
    if (existing !== null && !options.force) {
      let ours = false;
      try {
        ours = isSealed(Deno.readFileSync(target));
      } catch {
        // unreadable: not known to be ours
      }
      if (!ours) {
        throw fail(
          "a file is there that is not a results file of this project; force it to replace it",
        );
      }
    }
    const dir = dirname(target);
    try {
      Deno.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fail(`its folder ${dir} cannot be made (${message(error)})`);
    }
    const lockPath = join(dir, `.${basename(target)}.lock`);
    let lock: Deno.FsFile;
    try {
      lock = Deno.openSync(lockPath, { write: true, create: true });
    } catch (error) {
      throw fail(`nothing can be written in its folder ${dir} (${message(error)})`);
    }
    if (!lock.tryLockSync(true)) {
      lock.close();
      throw fail(`another command is writing it (it holds ${lockPath}); wait until it ends`);
    }
    return new ResultsFile(target, lock);
  }

  /**
   * Replaces the file with a grid's result: written under a temporary name in the same folder,
   * flushed to disk, then renamed over the file, so a reader (or a crash) sees the previous
   * file or the new one, never a part. On failure the previous file stays as it was.
   *
   * @param result The grid's result (all its runs, or those finished so far).
   */
  write(result: GridResult): void {
    const bytes = seal(toFileFrame(result).writeParquet({ compression: "zstd" }));
    const name = `.${basename(this.path)}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeAtomically(this.path, bytes, join(dirname(this.path), name));
    } catch (error) {
      throw new ResultsFileError(`Cannot write the results file ${this.path}: ${message(error)}`, {
        cause: error,
      });
    }
  }

  /** Releases the lock. */
  [Symbol.dispose](): void {
    this.#lock.close();
  }
}

function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch {
    return null;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
