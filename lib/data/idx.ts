/**
 * The IDX format of the MNIST files, read and checked loudly.
 *
 * An IDX file is a big-endian header, then the values: the magic number 0x0000TTNN (TT the value
 * type, 0x08 for unsigned bytes; NN the number of dimensions), one unsigned 32-bit size per
 * dimension, then the product of the sizes in values, row-major. MNIST's images are
 * 0x00000803 (count, rows, cols) and its labels 0x00000801 (count). Files may be
 * gzip-compressed (`*.gz`); they are recognised by gzip's magic bytes 1f 8b and inflated as a
 * stream that stops as soon as it passes the length the header announces, so a gzip bomb is
 * refused after inflating at most about 16 MiB past that length, not inflated whole.
 *
 * @module
 */

/** The IDX value type of unsigned bytes, the only one MNIST uses. */
const UNSIGNED_BYTE = 0x08;

/**
 * The most values a header may announce: 2^31 bytes (2 GiB), 45 times MNIST's training images.
 * A header announcing more is refused before anything is allocated.
 */
const MAX_VALUES = 2 ** 31;

/**
 * The compressed bytes inflated at a time. Deflate expands at most 1032-fold, so a chunk inflates
 * to at most about 8 MiB, and inflating stops within two chunks past the announced length.
 */
const GZIP_CHUNK_BYTES = 8192;

/** The contents of an IDX file of unsigned bytes. */
export interface Idx {
  /** Where the bytes came from (a file path): error messages name it. */
  readonly source: string;
  /** The size of each dimension, e.g. [60000, 28, 28] for MNIST's training images. */
  readonly dims: readonly number[];
  /** The values, row-major: the product of `dims` bytes (from parseIdx, a view of its bytes). */
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
 * number of dimensions, that the header announces at most 2^31 values and that the file holds
 * exactly the values its header announces.
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
  const header = parseHeader(bytes, numDims, source);
  checkLength(source, header, bytes.length);
  return { source, dims: header.dims, data: bytes.subarray(header.headerBytes) };
}

/** Options of {@linkcode readIdx}: the number of dimensions expected. */
export type ReadIdxOptions = Pick<ParseIdxOptions, "numDims">;

/**
 * Reads an IDX file of unsigned bytes, raw or gzip-compressed (recognised by its magic bytes
 * 1f 8b, whatever its name), with the checks of {@linkcode parseIdx}. The header is read and
 * checked first; only then are the values read, into one buffer of the announced length: a raw
 * file of another length is refused before it is read, and gzip is inflated as a stream that
 * stops as soon as it passes the announced length. A file named `.gz` that is not gzip, or gzip
 * that does not decompress, is an error too.
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
 * assertEquals([...(await readIdx(path, { numDims: 1 })).data], [7, 2, 1]);
 * Deno.removeSync(path);
 * ```
 */
export async function readIdx(path: string, options: ReadIdxOptions = {}): Promise<Idx> {
  using file = openFile(path);
  if (!isGzip(file, path)) {
    const read: Read = (into) => file.readSync(into);
    const header = await readHeader(read, options.numDims, path);
    checkLength(path, header, file.statSync().size);
    return await readValues(read, header, path);
  }
  const inflated = fileChunks(file).pipeThrough(new DecompressionStream("gzip")).getReader();
  try {
    const read = gzipReader(inflated, path);
    const header = await readHeader(read, options.numDims, path);
    return await readValues(read, header, path, " once inflated");
  } finally {
    await inflated.cancel().catch(() => undefined); // stops inflating early; already done if read
  }
}

/** What an IDX header announces: the dimensions, its own length and the file's, in bytes. */
interface Header {
  dims: number[];
  headerBytes: number;
  fileBytes: number;
}

/** Reads into a buffer: the number of bytes read, or null at the end of the input. */
type Read = (into: Uint8Array) => number | null | Promise<number | null>;

/** Checks the header at the start of `bytes`, which may end inside it (a truncated file). */
function parseHeader(bytes: Uint8Array, numDims: number | undefined, source: string): Header {
  const expectedMagic = numDims === undefined ? "0x000008NN" : hex32(UNSIGNED_BYTE << 8 | numDims);
  const expectedMeaning = numDims === undefined
    ? "unsigned bytes, NN dimensions"
    : `unsigned bytes, ${plural(numDims, "dimension")}`;
  if (bytes.length < 4) {
    throw invalid(
      source,
      `expected at least 4 bytes, the magic number ${expectedMagic} (${expectedMeaning}), but ` +
        `found ${plural(bytes.length, "byte")}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const found = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || found === 0) {
    throw invalid(
      source,
      `expected the magic number ${expectedMagic} (${expectedMeaning}) but found ${hex32(magic)}`,
    );
  }
  if (numDims !== undefined && found !== numDims) {
    throw invalid(
      source,
      `expected ${plural(numDims, "dimension")} (magic number ${expectedMagic}) but found ` +
        `${found} (magic number ${hex32(magic)})`,
    );
  }
  const headerBytes = 4 + 4 * found;
  if (bytes.length < headerBytes) {
    throw invalid(
      source,
      `expected a header of ${headerBytes} bytes for ${plural(found, "dimension")} but found a ` +
        `file of ${plural(bytes.length, "byte")} (truncated)`,
    );
  }
  const dims: number[] = [];
  let size = 1; // the product of the dims, exact up to MAX_VALUES + 1 and held there beyond
  for (let d = 0; d < found; d++) {
    dims.push(view.getUint32(4 + 4 * d));
    size = Math.min(size * dims[d], MAX_VALUES + 1);
  }
  if (size > MAX_VALUES) {
    throw invalid(
      source,
      `expected at most ${MAX_VALUES} values (2 GiB, the most read) but found a header ` +
        `announcing ${dims.join(" × ")} values`,
    );
  }
  return { dims, headerBytes, fileBytes: headerBytes + size };
}

/** Throws unless a file of `found` bytes (`note` saying how they were counted) is as announced. */
function checkLength(source: string, header: Header, found: number, note = ""): void {
  const { dims, headerBytes, fileBytes } = header;
  if (found === fileBytes) return;
  throw invalid(
    source,
    `expected ${fileBytes} bytes (a header of ${headerBytes} and ${dims.join(" × ")} values) ` +
      `but found ${found} bytes${note}` + (found < fileBytes ? " (truncated)" : ""),
  );
}

/** Reads and checks the header, stopping at its end (or at the end of a shorter input). */
async function readHeader(
  read: Read,
  numDims: number | undefined,
  source: string,
): Promise<Header> {
  const bytes = new Uint8Array(4 + 4 * 255);
  let n = await fill(read, bytes.subarray(0, 4));
  if (n === 4) n += await fill(read, bytes.subarray(4, 4 + 4 * bytes[3]));
  return parseHeader(bytes.subarray(0, n), numDims, source);
}

/**
 * Reads the values after the header into a buffer of the announced length, then tries one byte
 * more to check that the input ends there; reading stops at that byte.
 */
async function readValues(read: Read, header: Header, source: string, note = ""): Promise<Idx> {
  const data = new Uint8Array(header.fileBytes - header.headerBytes);
  const found = header.headerBytes + await fill(read, data);
  const more = found === header.fileBytes && await fill(read, new Uint8Array(1)) > 0;
  checkLength(
    source,
    header,
    found + Number(more),
    more ? ` or more${note}, reading stopped` : note,
  );
  return { source, dims: header.dims, data };
}

/** Reads until `buffer` is full or the input ends; returns the number of bytes read. */
async function fill(read: Read, buffer: Uint8Array): Promise<number> {
  let n = 0;
  while (n < buffer.length) {
    const got = await read(buffer.subarray(n));
    if (!got) break;
    n += got;
  }
  return n;
}

/** Opens a file to read, naming it when it is missing or a directory. */
function openFile(path: string): Deno.FsFile {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read IDX file ${path}: expected a file but found none`);
    }
    throw error;
  }
  if (file.statSync().isDirectory) {
    file.close();
    throw new Error(`Cannot read IDX file ${path}: expected a file but found a directory`);
  }
  return file;
}

/**
 * Whether a file starts with gzip's magic bytes 1f 8b (the file is left at its start); throws for
 * a file named `.gz` that does not.
 */
function isGzip(file: Deno.FsFile, path: string): boolean {
  const magic = new Uint8Array(2);
  const n = file.readSync(magic) ?? 0;
  file.seekSync(0, Deno.SeekMode.Start);
  const gzip = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  if (!gzip && path.endsWith(".gz")) {
    throw new Error(
      `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found ` +
        `${hexBytes(magic.subarray(0, n))}`,
    );
  }
  return gzip;
}

/** A file's bytes, GZIP_CHUNK_BYTES at a time, read only when the stream is pulled. */
function fileChunks(file: Deno.FsFile): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    pull(controller) {
      const chunk = new Uint8Array(GZIP_CHUNK_BYTES);
      const n = file.readSync(chunk);
      if (n === null) controller.close();
      else controller.enqueue(chunk.subarray(0, n));
    },
  });
}

/** Reads the bytes of an inflating stream; a decompression error names the file. */
function gzipReader(inflated: ReadableStreamDefaultReader<Uint8Array>, path: string): Read {
  let chunk: Uint8Array = new Uint8Array(0);
  return async (into) => {
    while (chunk.length === 0) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await inflated.read();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Invalid gzip file ${path}: expected gzip-compressed data but it does not decompress ` +
            `(${reason})`,
        );
      }
      if (next.done) return null;
      chunk = next.value;
    }
    const n = Math.min(chunk.length, into.length);
    into.set(chunk.subarray(0, n));
    chunk = chunk.subarray(n);
    return n;
  };
}

function invalid(source: string, what: string): Error {
  return new Error(`Invalid IDX file ${source}: ${what}`);
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
