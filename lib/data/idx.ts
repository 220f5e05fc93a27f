/**
 * The IDX format of the MNIST files, read and checked loudly.
 *
 * An IDX file is a big-endian header, then the values: the magic number 0x0000TTNN (TT the value
 * type, 0x08 for unsigned bytes; NN the number of dimensions), one unsigned 32-bit size per
 * dimension, then the product of the sizes in values, row-major. MNIST's images are
 * 0x00000803 (count, rows, cols) and its labels 0x00000801 (count). Files may be
 * gzip-compressed (`*.gz`); they are recognised by gzip's magic bytes 1f 8b.
 *
 * @module
 */

import { gunzipSync } from "node:zlib";

/** The IDX value type of unsigned bytes, the only one MNIST uses. */
const UNSIGNED_BYTE = 0x08;

/** The contents of an IDX file of unsigned bytes. */
export interface Idx {
  /** Where the bytes came from (a file path): error messages name it. */
  readonly source: string;
  /** The size of each dimension, e.g. [60000, 28, 28] for MNIST's training images. */
  readonly dims: readonly number[];
  /** The values, row-major: the product of `dims` bytes (a view into the file's bytes). */
  readonly data: Uint8Array;
}

/** Options of {@linkcode parseIdx}. */
export interface ParseIdxOptions {
  /**
   * The number of dimensions expected (3 for images, 1 for labels); any when undefined.
   *
   * @default {undefined}
   */
  numDims?: number;
  /** The name of the data in error messages (a file path). @default {"IDX data"} */
  source?: string;
}

/**
 * Decodes the bytes of an uncompressed IDX file of unsigned bytes, checking the magic number, the
 * number of dimensions and that the file holds exactly the values its header announces.
 *
 * @param bytes The whole file.
 * @param options The expected number of dimensions and the name used in error messages.
 * @returns The dimensions and a view of the values (no copy).
 *
 * @example Two labels
 * ```ts
 * import { parseIdx } from "./idx.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 0]);
 * const idx = parseIdx(bytes, { numDims: 1 });
 * assertEquals(idx.dims, [2]);
 * assertEquals([...idx.data], [5, 0]);
 * ```
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): Idx {
  const { numDims, source = "IDX data" } = options;
  const fail = (what: string) => new Error(`Invalid IDX file ${source}: ${what}`);
  const expectedMagic = numDims === undefined ? "0x000008NN" : hex32(UNSIGNED_BYTE << 8 | numDims);
  const expectedMeaning = numDims === undefined
    ? "unsigned bytes, NN dimensions"
    : `unsigned bytes, ${plural(numDims, "dimension")}`;
  if (bytes.length < 4) {
    throw fail(
      `expected at least 4 bytes, the magic number ${expectedMagic} (${expectedMeaning}), but ` +
        `found ${plural(bytes.length, "byte")}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const found = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || found === 0) {
    throw fail(
      `expected the magic number ${expectedMagic} (${expectedMeaning}) but found ${hex32(magic)}`,
    );
  }
  if (numDims !== undefined && found !== numDims) {
    throw fail(
      `expected ${plural(numDims, "dimension")} (magic number ${expectedMagic}) but found ` +
        `${found} (magic number ${hex32(magic)})`,
    );
  }
  const headerBytes = 4 + 4 * found;
  if (bytes.length < headerBytes) {
    throw fail(
      `expected a header of ${headerBytes} bytes for ${plural(found, "dimension")} but found a ` +
        `file of ${plural(bytes.length, "byte")} (truncated)`,
    );
  }
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < found; d++) {
    dims.push(view.getUint32(4 + 4 * d));
    size *= dims[d];
  }
  if (bytes.length !== headerBytes + size) {
    const shape = dims.join(" × ");
    throw fail(
      `expected ${headerBytes + size} bytes (a header of ${headerBytes} and ${shape} values) ` +
        `but found ${bytes.length} bytes` +
        (bytes.length < headerBytes + size ? " (truncated)" : ""),
    );
  }
  return { source, dims, data: bytes.subarray(headerBytes) };
}

/** Options of {@linkcode readIdx}. */
export interface ReadIdxOptions {
  /**
   * The number of dimensions expected (3 for images, 1 for labels); any when undefined.
   *
   * @default {undefined}
   */
  numDims?: number;
}

/**
 * Reads an IDX file of unsigned bytes, raw or gzip-compressed (recognised by its magic bytes
 * 1f 8b, whatever its name), and checks it with {@linkcode parseIdx}. A file named `.gz` that is
 * not gzip, or gzip that does not decompress, is an error too.
 *
 * @param path The file's path.
 * @param options The expected number of dimensions.
 * @returns The dimensions and the values.
 *
 * @example A labels file written and read back
 * ```ts
 * import { readIdx } from "./idx.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const path = Deno.makeTempFileSync();
 * Deno.writeFileSync(path, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]));
 * assertEquals([...readIdx(path, { numDims: 1 }).data], [7, 2, 1]);
 * Deno.removeSync(path);
 * ```
 */
export function readIdx(path: string, options: ReadIdxOptions = {}): Idx {
  let bytes: Uint8Array;
  try {
    bytes = readWholeFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read IDX file ${path}: expected a file but found none`);
    }
    throw error;
  }
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzip && path.endsWith(".gz")) {
    throw new Error(
      `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found ` +
        `${hexBytes(bytes.subarray(0, 2))}`,
    );
  }
  if (gzip) {
    try {
      const inflated = gunzipSync(bytes); // a Node Buffer: keep a plain Uint8Array view of it
      bytes = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Invalid gzip file ${path}: expected gzip-compressed data but it does not decompress ` +
          `(${reason})`,
      );
    }
  }
  return parseIdx(bytes, { source: path, ...options });
}

/**
 * The bytes of a file, read into one buffer of the file's size (Deno.readFileSync copies through
 * a second buffer: about twice as slow on 47 MB where first touching memory is costly).
 */
function readWholeFile(path: string): Uint8Array {
  using file = Deno.openSync(path);
  const bytes = new Uint8Array(file.statSync().size);
  let offset = 0;
  while (offset < bytes.length) {
    const n = file.readSync(bytes.subarray(offset));
    if (n === null) break;
    offset += n;
  }
  return offset === bytes.length ? bytes : bytes.subarray(0, offset);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function hex32(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}

function hexBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return "an empty file";
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}
