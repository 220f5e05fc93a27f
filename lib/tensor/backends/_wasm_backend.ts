/**
 * The wasm backend on an instance of the kernels, whichever loaded them: its memory's allocator,
 * the copies in and out of it, and the primitives (shared by wasm.ts, Deno's synchronous loader,
 * and wasm_browser.ts, the browser's). Also what scripts/build_wasm.ts writes: the kernels' four
 * builds from the one kernels.wat and the manifest that names them with their SHA-256.
 *
 * @module
 */

import { type Backend, defineBackend } from "../backend.ts";
import { Matrix } from "../matrix.ts";

/**
 * The builds of the kernels from the one source: relaxed SIMD (f32x4.relaxed_madd, as written) or
 * plain SIMD (each relaxed_madd rewritten as a mul then an add), each importing a shared or an
 * unshared memory. "relaxed-shared" is the one Deno's loader runs.
 */
export const WASM_VARIANTS = [
  "relaxed-shared",
  "relaxed-unshared",
  "simd-shared",
  "simd-unshared",
] as const;

/** One build of the kernels: {@linkcode WASM_VARIANTS}. */
export type WasmVariant = typeof WASM_VARIANTS[number];

/**
 * build/wasm/kernels-<source hash>.json: each build's file (beside the manifest), its size and
 * its SHA-256, fixed when it was built.
 */
export interface WasmManifest {
  /** The kernelsHash of the kernels.wat the builds came from. */
  source: string;
  /** Each build, by variant. */
  variants: Record<WasmVariant, { file: string; bytes: number; sha256: string }>;
}

/**
 * The file name of a build: kernels-<hash>.wasm for the relaxed, shared one (the name Deno's
 * loader has always opened), kernels-<hash>-<variant>.wasm for the others.
 *
 * @param hash The source's kernelsHash.
 * @param variant The build.
 * @returns The file's name.
 *
 * @example
 * ```ts
 * import { variantFileName } from "./_wasm_backend.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(variantFileName("0123abcd", "relaxed-shared"), "kernels-0123abcd.wasm");
 * assertEquals(variantFileName("0123abcd", "simd-unshared"), "kernels-0123abcd-simd-unshared.wasm");
 * ```
 */
export function variantFileName(hash: string, variant: WasmVariant): string {
  return variant === "relaxed-shared" ? `kernels-${hash}.wasm` : `kernels-${hash}-${variant}.wasm`;
}

/**
 * The wasm backend: the primitives, plus the memory they run in and its allocator.
 *
 * `matrix()` hands out zeroed 64-byte aligned blocks of the module's memory, reused by size; each
 * goes back when `free(matrix)` returns it, or else once the matrix's `data` array is garbage
 * collected (views from `sliceRows` keep it alive; a view made with `data.subarray` by hand does
 * not). A shared memory (a SharedArrayBuffer) grows as needed and never detaches; an unshared one
 * (a browser page that is not cross-origin isolated) keeps its size, since growing would detach
 * every matrix handed out: an allocation past it is a RangeError.
 */
export interface WasmBackend extends Backend {
  /** The module's memory: every matrix from `matrix()` is a view into it. */
  readonly memory: WebAssembly.Memory;
  /** The kernels' instance (its exports take byte offsets into `memory`; see kernels.wat). */
  readonly instance: WebAssembly.Instance;
  /**
   * Returns a matrix from `matrix()` to the allocator; using it afterwards is an error the
   * allocator cannot see. A RangeError if it did not come from `matrix()` or is already freed.
   */
  free(matrix: Matrix): void;
  /** Whether the array's data lives in `memory` (and is then passed to the kernels uncopied). */
  owns(data: ArrayBufferView): boolean;
}

/** The kernels' exports, taking byte offsets into the memory (kernels.wat states their shapes). */
type Kernels = Record<string, (...args: number[]) => number>;

// ---------------------------------------------------------------------------------------------
// the memory: an allocator of 64-byte aligned blocks, and a scratch area for copies

const ALIGN = 64;
const PAGE = 65536;

function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** A typed array to pass to a kernel: read (copied in when not in memory), written (copied out). */
type Operand = { data: Float32Array | Int32Array; read: boolean; write: boolean };

class Heap {
  /** Every buffer object the memory has had: a view keeps the one current when it was made. */
  readonly #buffers = new Set<ArrayBufferLike>();
  /** The first byte never handed out (0 to 63 stay unused, so 0 is never a block). */
  #top = ALIGN;
  readonly #free = new Map<number, number[]>(); // free blocks by size
  readonly #sizes = new Map<number, number>(); // allocated blocks: offset → size
  #scratch = 0;
  #scratchBytes = 0;

  /** @param growable Whether the memory may grow: false when growing would detach it. */
  constructor(readonly memory: WebAssembly.Memory, readonly growable: boolean) {
    this.buffer();
  }

  /** The memory's current buffer (recorded as ours). */
  buffer(): ArrayBufferLike {
    const buffer = this.memory.buffer;
    this.#buffers.add(buffer);
    return buffer;
  }

  owns(data: ArrayBufferView): boolean {
    return this.#buffers.has(data.buffer);
  }

  alloc(bytes: number): number {
    const size = aligned(Math.max(bytes, 1));
    const reused = this.#free.get(size)?.pop();
    const offset = reused ?? this.#top;
    if (reused === undefined) {
      const have = this.memory.buffer.byteLength;
      if (this.#top + size > have && !this.growable) {
        throw new RangeError(
          `Expected ${size} bytes free in the kernels' unshared memory of ${have} bytes but ` +
            `found ${have - this.#top}: load the kernels with a larger memory`,
        );
      }
      this.#top += size;
      if (this.#top > have) {
        const pages = Math.ceil((this.#top - have) / PAGE);
        // at least double (up to the 4 GiB limit), so a run of small blocks grows it rarely
        this.memory.grow(Math.min(Math.max(pages, have / PAGE), 65536 - have / PAGE));
      }
    }
    this.#sizes.set(offset, size);
    return offset;
  }

  release(offset: number): void {
    const size = this.#sizes.get(offset);
    if (size === undefined) throw new RangeError(`Expected an allocated block but found ${offset}`);
    this.#sizes.delete(offset);
    const list = this.#free.get(size);
    if (list) list.push(offset);
    else this.#free.set(size, [offset]);
  }

  /** A scratch area of at least `bytes`, valid until the next call (it may move). */
  scratch(bytes: number): number {
    if (bytes > this.#scratchBytes) {
      if (this.#scratchBytes > 0) this.release(this.#scratch);
      this.#scratchBytes = aligned(Math.max(bytes, 2 * this.#scratchBytes, 1 << 16));
      this.#scratch = this.alloc(this.#scratchBytes);
    }
    return this.#scratch;
  }

  /** A view of the same type as `like`, of its length, at a byte offset of the memory. */
  view<T extends Float32Array | Int32Array>(like: T, offset: number): T {
    const Type = like.constructor as new (buffer: ArrayBufferLike, at: number, n: number) => T;
    return new Type(this.buffer(), offset, like.length);
  }

  /**
   * Runs a kernel on operands: each one in the memory is passed by its byte offset; each other
   * one is copied into the scratch area (when read) and back (when written). `workBytes` more
   * of scratch, 64-byte aligned, go to the kernel as `work`.
   */
  run<T>(operands: Operand[], workBytes: number, kernel: (at: number[], work: number) => T): T {
    let bytes = aligned(workBytes);
    for (const { data } of operands) if (!this.owns(data)) bytes += aligned(data.byteLength);
    let next = this.scratch(bytes);
    const at = operands.map(({ data, read }) => {
      if (this.owns(data)) return data.byteOffset;
      const offset = next;
      next += aligned(data.byteLength);
      if (read) this.view(data, offset).set(data);
      return offset;
    });
    const result = kernel(at, next);
    operands.forEach(({ data, write }, i) => {
      if (write && !this.owns(data)) data.set(this.view(data, at[i]));
    });
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// the backend

/**
 * The wasm backend on an instance of the kernels and the memory it imports.
 *
 * @param memory The instance's memory: shared (it grows) or not (its size is all there is).
 * @param instance The kernels, instantiated on `memory`.
 * @param identity The backend's identity: `wasm kernels sha256:<hex of the binary>`.
 * @returns The backend, named "wasm".
 */
export function makeWasmBackend(
  memory: WebAssembly.Memory,
  instance: WebAssembly.Instance,
  identity: string,
): WasmBackend {
  const kernels = instance.exports as unknown as Kernels;
  const shared = typeof SharedArrayBuffer !== "undefined" &&
    memory.buffer instanceof SharedArrayBuffer;
  const heap = new Heap(memory, shared);
  const read = (data: Float32Array | Int32Array): Operand => ({ data, read: true, write: false });
  const write = (data: Float32Array | Int32Array): Operand => ({ data, read: false, write: true });
  const update = (data: Float32Array | Int32Array): Operand => ({ data, read: true, write: true });
  // a block whose data array is collected goes back to the allocator (unless freed before)
  const blocks = new FinalizationRegistry<number>((offset) => heap.release(offset));
  const live = new WeakSet<Float32Array>(); // the data arrays of blocks handed out, not freed

  function matrix(rows: number, cols: number): Matrix {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(
        `Expected a matrix shape of non-negative integers but found (${rows}, ${cols})`,
      );
    }
    const offset = heap.alloc(4 * rows * cols);
    const data = new Float32Array(heap.buffer(), offset, rows * cols).fill(0);
    blocks.register(data, offset, data);
    live.add(data);
    return new Matrix(rows, cols, data);
  }

  function free(m: Matrix): void {
    if (!live.has(m.data)) {
      const where = heap.owns(m.data)
        ? `at byte ${m.data.byteOffset}`
        : "outside the module's memory";
      const found = `a (${m.rows}, ${m.cols}) matrix ${where}`;
      throw new RangeError(
        `Expected a matrix from matrix() that is not yet freed but found ${found}`,
      );
    }
    live.delete(m.data);
    blocks.unregister(m.data);
    heap.release(m.data.byteOffset);
  }

  const backend = defineBackend("wasm", {
    gemm({ a, b, c, transA = false, transB = false, alpha = 1, beta = 0 }) {
      const m = c.rows, n = c.cols, k = transA ? a.rows : a.cols;
      if (m === 0 || n === 0) return c;
      const operands = [read(a.data), read(b.data), beta === 0 ? write(c.data) : update(c.data)];
      return heap.run(operands, kernels.gemm_work_bytes(m, k), ([pa, pb, pc], work) => {
        kernels.gemm(+transA, +transB, m, n, k, alpha, beta, pa, pb, pc, work);
        return c;
      });
    },
    axpby({ alpha, x, beta, y }) {
      return heap.run([read(x.data), update(y.data)], 0, ([px, py]) => {
        kernels.axpby(y.size, alpha, px, beta, py);
        return y;
      });
    },
    adam({ p, g, m, v, lr, beta1, beta2, epsilon, step, rows = null }) {
      // the bias corrections in double, as the js backend, passed folded: lr/c1 and 1/c2
      const c1 = 1 - beta1 ** step, c2 = 1 - beta2 ** step;
      const scalars = [lr / c1, 1 / c2, beta1, 1 - beta1, beta2, 1 - beta2, epsilon] as const;
      const operands = [update(p.data), read(g.data), update(m.data), update(v.data)];
      if (rows === null) {
        return heap.run(operands, 0, ([pp, pg, pm, pv]) => {
          kernels.adam(p.size, pp, pg, pm, pv, ...scalars);
          return p;
        });
      }
      // g holds the rows `rows` only: a row of zeros (the work area) stands in for the others
      return heap.run([...operands, read(rows)], 4 * p.cols, ([pp, pg, pm, pv, pr], zero) => {
        kernels.adam_rows(p.rows, p.cols, pp, pg, pr, rows.length, zero, pm, pv, ...scalars);
        return p;
      });
    },
    nonzeroColumns({ x }) {
      return heap.run([read(x.data)], 4 * x.cols, ([px], work) => {
        const count = kernels.nonzero_columns(px, x.rows, x.cols, work);
        return new Int32Array(heap.buffer(), work, count).slice();
      });
    },
    gatherColumns({ x, columns, out }) {
      return heap.run([read(x.data), read(columns), write(out.data)], 0, ([px, pc, po]) => {
        kernels.gather_columns(px, x.rows, x.cols, pc, columns.length, po);
        return out;
      });
    },
    gatherRows({ x, rows, out }) {
      return heap.run([read(x.data), read(rows), write(out.data)], 0, ([px, pr, po]) => {
        kernels.gather_rows(px, x.cols, pr, rows.length, po);
        return out;
      });
    },
    scatterRows({ x, rows, out }) {
      // out's rows not listed are kept: it is read as well as written
      return heap.run([read(x.data), read(rows), update(out.data)], 0, ([px, pr, po]) => {
        kernels.scatter_rows(px, x.cols, pr, rows.length, po);
        return out;
      });
    },
    biasActivation({ z, b, activation }) {
      const kernel = kernels[activation === "none" ? "add_bias" : `bias_${activation}`];
      if (kernel === undefined) throw new RangeError(`Unknown activation: ${activation}`);
      return heap.run([update(z.data), read(b.data)], 0, ([pz, pb]) => {
        kernel(pz, pb, z.rows, z.cols);
        return z;
      });
    },
    activationBackward({ dh, h, activation }) {
      const kernel = kernels[`${activation}_backward`];
      if (kernel === undefined) throw new RangeError(`Unknown activation: ${activation}`);
      return heap.run([update(dh.data), read(h.data)], 0, ([pdh, ph]) => {
        kernel(pdh, ph, dh.size);
        return dh;
      });
    },
    softmaxCrossEntropy({ o, labels, dO }) {
      const rows = o.rows, cols = o.cols;
      if (rows === 0) return { lossSum: 0, correct: 0 };
      // the labels are checked by the caller; the kernel clamps one out of range into its row
      const classes = labels instanceof Int32Array ? labels : Int32Array.from(labels);
      const operands = [read(o.data), read(classes), ...(dO === null ? [] : [write(dO.data)])];
      return heap.run(operands, 16 * rows, ([po, pl, pd], work) => {
        const correct = kernels.softmax_xent(po, pl, rows, cols, dO === null ? 0 : pd, work);
        // stats[i] = (s_i, o_(i, c_i) − m_i): the logarithms in double precision, as _fused.ts
        const stats = new Float64Array(heap.buffer(), work, 2 * rows);
        let lossSum = 0;
        for (let i = 0; i < rows; i++) lossSum += Math.log(stats[2 * i]) - stats[2 * i + 1];
        return { lossSum, correct };
      });
    },
    columnSums({ x, out }) {
      return heap.run([read(x.data), write(out.data)], 0, ([px, po]) => {
        kernels.column_sums(px, x.rows, x.cols, po);
        return out;
      });
    },
  }, { matrix, identity: () => identity });

  // the extras are not enumerable: Object.keys() of any backend lists the same primitives
  const extras = { memory, instance, free, owns: (data: ArrayBufferView) => heap.owns(data) };
  return Object.freeze(Object.defineProperties(
    { ...backend },
    Object.fromEntries(Object.entries(extras).map(([key, value]) => [key, { value }])),
  )) as WasmBackend;
}
