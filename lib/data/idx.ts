/**
 * The IDX format of the MNIST files, read and checked loudly. An IDX file is a big-endian
 * header, the magic number 0x0000TTNN (TT the value type, 0x08 for unsigned bytes; NN the number
 * of dimensions) and one uint32 size per dimension, then the values, row-major. MNIST's images
 * are 0x00000803 (count, rows, cols), its labels 0x00000801 (count).
 *
 * @module
 */

/** The IDX value type of unsigned bytes, the only one MNIST uses. */
const UNSIGNED_BYTE = 0x08;

/** The most values a header may announce: 2^31 bytes, 45 times MNIST's training images. */
const MAX_VALUES = 2 ** 31;

/**
 * The compressed bytes inflated at a time. Deflate expands at most 1032-fold, so a chunk inflates
 * to at most about 8 MiB, and inflating stops within two chunks past the announced length.
 */
const GZIP_CHUNK_BYTES = 8192;

/** The contents of an IDX file of unsigned bytes. */
export interface Idx {
  /** The size of each dimension, e.g. [60000, 28, 28] for MNIST's training images. */
  readonly dims: readonly number[];
  /** The values, row-major: the product of `dims` bytes. */
  readonly data: Uint8Array;
}

/** Options of {@linkcode readIdx}. */
export interface ReadIdxOptions {
  /** The number of dimensions expected (3 for images, 1 for labels); any when undefined. */
  numDims?: number;
}

/**
 * Reads an IDX file of unsigned bytes, raw or gzipped (known by its magic bytes, whatever its
 * name), checking the magic number, the number of dimensions, that at most 2^31 values are
 * announced and exactly those held. A raw file of another length is refused unread; gzip is
 * inflated only until it passes the announced length (a gzip bomb is never inflated whole).
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
 * const idx = await readIdx(path, { numDims: 1 });
 * assertEquals([idx.dims, [...idx.data]], [[3], [7, 2, 1]]);
 * Deno.removeSync(path);
 * ```
 */
export async function readIdx(path: string, options: ReadIdxOptions = {}): Promise<Idx> {
  using file = openFile(path);
  if (!isGzip(file, path)) {
    const read: Read = (into) => file.readSync(into);
    const header = await readHeader(read, path, options.numDims);
    checkLength(path, header, file.statSync().size);
    return await readValues(read, header, path);
  }
  const inflated = fileChunks(file).pipeThrough(new DecompressionStream("gzip")).getReader();
  try {
    const read = gzipReader(inflated, path);
    const header = await readHeader(read, path, options.numDims);
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

/** Throws unless a file of `found` bytes (`note` saying how they were counted) is as announced. */
function checkLength(source: string, header: Header, found: number, note = ""): void {
  const { dims, headerBytes, fileBytes } = header;
  if (found === fileBytes) return;
  throw invalid(
    source,
    `${fileBytes} bytes (a header of ${headerBytes} and ${dims.join(" × ")} values)`,
    `${found} bytes${note}${found < fileBytes ? " (truncated)" : ""}`,
  );
}

/** Reads and checks the header, stopping at its end (or at the end of a shorter input). */
async function readHeader(read: Read, source: string, numDims?: number): Promise<Header> {
  const bytes = new Uint8Array(4 + 4 * 255);
  let n = await fill(read, bytes.subarray(0, 4));
  const expectedMagic = numDims === undefined ? "0x000008NN" : hex32(UNSIGNED_BYTE << 8 | numDims);
  const expectedMeaning = `unsigned bytes, ${numDims ?? "NN"} dimension${numDims === 1 ? "" : "s"}`;
  const magicText = `the magic number ${expectedMagic} (${expectedMeaning})`;
  if (n < 4) throw invalid(source, `at least 4 bytes, ${magicText},`, plural(n, "byte"));
  const view = new DataView(bytes.buffer);
  const magic = view.getUint32(0);
  const found = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || found === 0) {
    throw invalid(source, magicText, hex32(magic));
  }
  if (numDims !== undefined && found !== numDims) {
    throw invalid(
      source,
      `${plural(numDims, "dimension")} (magic number ${expectedMagic})`,
      `${found} (magic number ${hex32(magic)})`,
    );
  }
  const headerBytes = 4 + 4 * found;
  n += await fill(read, bytes.subarray(4, headerBytes));
  if (n < headerBytes) {
    const expected = `a header of ${headerBytes} bytes for ${plural(found, "dimension")}`;
    throw invalid(source, expected, `a file of ${plural(n, "byte")} (truncated)`);
  }
  const dims: number[] = [];
  let size = 1; // the product of the dims, exact up to MAX_VALUES + 1 and held there beyond
  for (let d = 0; d < found; d++) {
    dims.push(view.getUint32(4 + 4 * d));
    size = Math.min(size * dims[d], MAX_VALUES + 1);
  }
  if (size > MAX_VALUES) {
    const announced = `a header announcing ${dims.join(" × ")} values`;
    throw invalid(source, `at most ${MAX_VALUES} values (2 GiB, the most read)`, announced);
  }
  return { dims, headerBytes, fileBytes: headerBytes + size };
}

/** Reads the announced values, then one byte more to check that the input ends there. */
async function readValues(read: Read, header: Header, source: string, note = ""): Promise<Idx> {
  const data = new Uint8Array(header.fileBytes - header.headerBytes);
  const found = header.headerBytes + await fill(read, data);
  const more = found === header.fileBytes && await fill(read, new Uint8Array(1)) > 0;
  const counted = more ? ` or more${note}, reading stopped` : note;
  checkLength(source, header, found + Number(more), counted);
  return { dims: header.dims, data };
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
  let found = "none";
  try {
    if (!Deno.statSync(path).isDirectory) return Deno.openSync(path);
    found = "a directory";
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new Error(`Cannot read IDX file ${path}: expected a file but found ${found}`);
}

/** Whether a file starts with gzip's magic bytes (left at its start); throws for a `.gz` not. */
function isGzip(file: Deno.FsFile, path: string): boolean {
  const magic = new Uint8Array(2);
  const n = file.readSync(magic) ?? 0;
  file.seekSync(0, Deno.SeekMode.Start);
  const gzip = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  if (!gzip && path.endsWith(".gz")) {
    const found = n === 0
      ? "an empty file"
      : [...magic.subarray(0, n)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(
      `Invalid gzip file ${path}: expected the gzip magic bytes 1f 8b but found ${found}`,
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
      const next = await inflated.read().catch((error) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Invalid gzip file ${path}: expected gzip-compressed data but it does not decompress ` +
            `(${reason})`,
        );
      });
      if (next.done) return null;
      chunk = next.value;
    }
    const n = Math.min(chunk.length, into.length);
    into.set(chunk.subarray(0, n));
    chunk = chunk.subarray(n);
    return n;
  };
}

/** The error for an IDX file that is not as expected. */
function invalid(source: string, expected: string, found: string): Error {
  return new Error(`Invalid IDX file ${source}: expected ${expected} but found ${found}`);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function hex32(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}
