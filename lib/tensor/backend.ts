/**
 * The Backend interface: the few primitives the network (lib/nn/mlp.ts) and its optimizers run
 * on, with the shape checks every backend shares, and where a backend keeps its matrices. The
 * shipped backends are listed in get_backend.ts.
 *
 * @module
 */

import type { ActivationName } from "./activation.ts";
import { Matrix } from "./matrix.ts";

/** Arguments of {@linkcode Backend.gemm}: C ← alpha · op(A) · op(B) + beta · C. */
export interface GemmArgs {
  /** A: (m, k), or (k, m) when transA. */
  a: Matrix;
  /** B: (k, n), or (n, k) when transB. */
  b: Matrix;
  /** C: (m, n), written in place; must not share memory with A or B. */
  c: Matrix;
  /** Use Aᵀ for op(A). @default {false} */
  transA?: boolean;
  /** Use Bᵀ for op(B). @default {false} */
  transB?: boolean;
  /** The scale of the product. @default {1} */
  alpha?: number;
  /** The scale of C's old value; 0 means C is only written, never read. @default {0} */
  beta?: number;
}

/**
 * Arguments of {@linkcode Backend.adam}: p and its running means m (of g) and v (of g²), all
 * (rows, cols), updated in place and not sharing memory; the scheduled lr; β₁ and β₂ in [0, 1)
 * and ε > 0, checked by the caller; the step t, a positive integer.
 */
export interface AdamArgs {
  p: Matrix;
  /** The gradient: (rows, cols); or, with `rows`, those rows only: (k, cols), zero elsewhere. */
  g: Matrix;
  /** The rows of p that g holds (strictly increasing), or null for all. @default {null} */
  rows?: Int32Array | null;
  m: Matrix;
  v: Matrix;
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
}

/** What {@linkcode Backend.softmaxCrossEntropy} (and any loss) returns. */
export interface SoftmaxCrossEntropyResult {
  /** The summed (not mean) loss over the rows. */
  lossSum: number;
  /** The number of rows whose largest logit (the first, on ties) is the label. */
  correct: number;
}

/**
 * The primitives a backend supplies. Each writes into the output it is given and returns it;
 * none allocates a matrix. Shapes are checked before a backend's code runs
 * ({@linkcode defineBackend}).
 */
export interface BackendPrimitives {
  /** General matrix product: C ← alpha · op(A) · op(B) + beta · C. */
  gemm(args: GemmArgs): Matrix;
  /** y ← alpha · x + beta · y (BLAS saxpby), in place; x and y are (m, n). */
  axpby(args: { alpha: number; x: Matrix; beta: number; y: Matrix }): Matrix;
  /**
   * One Adam step at step t, lr already scheduled: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
   * p ← p − lr · (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε), elementwise; returns p.
   */
  adam(args: AdamArgs): Matrix;
  /** The columns of x holding at least one nonzero, in increasing order. */
  nonzeroColumns(args: { x: Matrix }): Int32Array;
  /** out[i, c] ← x[i, columns[c]]: x is (m, n), out (m, k), k columns from 0 to n − 1. */
  gatherColumns(args: { x: Matrix; columns: Int32Array; out: Matrix }): Matrix;
  /** out[r, :] ← x[rows[r], :]: x is (m, n), out (k, n), k rows from 0 to m − 1. */
  gatherRows(args: { x: Matrix; rows: Int32Array; out: Matrix }): Matrix;
  /** out[rows[r], :] ← x[r, :], out's other rows kept: x is (k, n), out (m, n). */
  scatterRows(args: { x: Matrix; rows: Int32Array; out: Matrix }): Matrix;
  /** z ← f(z + b) row by row, z (m, n) in place, b (1, n); f "none" adds the bias alone. */
  biasActivation(args: { z: Matrix; b: Matrix; activation: ActivationName | "none" }): Matrix;
  /** dh ← dh ⊙ f′(z) in place, from h = f(z): ∂l/∂h to ∂l/∂z, both (m, n). */
  activationBackward(args: { dh: Matrix; h: Matrix; activation: ActivationName }): Matrix;
  /**
   * The summed loss and correct count of the logits o (m, n) against m labels from 0 to n − 1
   * (checked by the caller: one out of range gives wrong numbers, but no read or write outside o
   * and dO), and ∂l/∂O = (y − t)/m of the mean loss into dO (m, n) unless it is null.
   */
  softmaxCrossEntropy(
    args: { o: Matrix; labels: ArrayLike<number>; dO: Matrix | null },
  ): SoftmaxCrossEntropyResult;
  /** out ← the column sums of x: x is (m, n), out (1, n). */
  columnSums(args: { x: Matrix; out: Matrix }): Matrix;
}

/** A named set of primitives, shape-checked: what the network runs on. */
export interface Backend extends BackendPrimitives {
  /** The backend's name: for the backends shipped here, one of BACKEND_NAMES (get_backend.ts). */
  readonly name: string;
  /** A (rows, cols) matrix of zeros in the memory the primitives work on in place. */
  matrix(rows: number, cols: number): Matrix;
  /**
   * What decides this backend's numbers beyond its name, as one line (a run's key holds it,
   * lib/store/run_key.ts): the wasm kernels' SHA-256, OpenBLAS's build, core type and threads.
   */
  identity(): string;
  /** The backend's own process-wide thread count (OpenBLAS's), when it has one: read or set. */
  readonly threads?: { count(): number; set(count: number): void };
}

/** Options of {@linkcode defineBackend}. */
export interface DefineBackendOptions {
  /** Where its matrices live. @default {new zeroed matrices in ordinary memory} */
  matrix?: (rows: number, cols: number) => Matrix;
  /** Its {@linkcode Backend.identity}. @default {its name} */
  identity?: () => string;
  /** Its {@linkcode Backend.threads}. @default {none} */
  threads?: Backend["threads"];
}

/**
 * Makes a backend from primitives, each wrapped with its shape checks (a RangeError naming the
 * primitive and the shapes found); a missing one throws an error naming it when called.
 *
 * @param name The backend's name.
 * @param primitives The primitives it implements.
 * @param options Where its matrices live and what identifies it.
 * @returns The backend.
 *
 * @example A backend with only a product
 * ```ts
 * import { defineBackend } from "./backend.ts";
 * import { jsPrimitives } from "./backends/js.ts";
 * import { Matrix } from "./matrix.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const tiny = defineBackend("tiny", { gemm: jsPrimitives.gemm });
 * const c = tiny.gemm({ a: Matrix.from([[1, 2]]), b: Matrix.from([[3], [4]]), c: new Matrix(1, 1) });
 * assertEquals(c.toArray(), [[11]]);
 * const x = new Matrix(1, 1);
 * assertThrows(() => tiny.axpby({ alpha: 1, x, beta: 1, y: x }), Error, 'Backend "tiny" does not implement axpby');
 * assertThrows(() => tiny.gemm({ a: x, b: c, c: new Matrix(2, 2) }), RangeError, "Cannot gemm");
 * ```
 */
export function defineBackend(
  name: string,
  primitives: Partial<BackendPrimitives>,
  options: DefineBackendOptions = {},
): Backend {
  const {
    matrix = (rows: number, cols: number) => new Matrix(rows, cols),
    identity = () => name,
    threads,
  } = options;
  const backend: Record<string, unknown> = { name, matrix, identity };
  if (threads !== undefined) backend.threads = threads;
  for (const key of PRIMITIVE_NAMES) {
    const primitive = primitives[key] as ((args: unknown) => unknown) | undefined;
    const check = CHECKS[key] as (args: unknown) => void;
    backend[key] = primitive === undefined
      ? () => {
        throw new Error(`Backend "${name}" does not implement ${key}`);
      }
      : (args: unknown) => {
        check(args);
        return primitive(args);
      };
  }
  return Object.freeze(backend) as unknown as Backend;
}

// ---------------------------------------------------------------------------------------------
// shape checks, shared by every backend

function shape(m: Matrix): string {
  return `(${m.rows}, ${m.cols})`;
}

function fail(op: string, detail: string): never {
  throw new RangeError(`Cannot ${op}: ${detail}`);
}

function overlaps(x: Matrix, y: Matrix): boolean {
  if (x.data.buffer !== y.data.buffer || x.size === 0 || y.size === 0) return false;
  const xStart = x.data.byteOffset, yStart = y.data.byteOffset;
  return xStart < yStart + y.data.byteLength && yStart < xStart + x.data.byteLength;
}

function checkSameShape(op: string, names: [string, string], x: Matrix, y: Matrix): void {
  if (x.rows !== y.rows || x.cols !== y.cols) {
    fail(op, `${names[0]} is ${shape(x)} but ${names[1]} is ${shape(y)}`);
  }
}

/** `out` must be (m, n), as `given` (the inputs' shapes) says, and not overlap `x`. */
function checkOut(op: string, given: string, out: Matrix, [m, n]: number[], x?: Matrix): void {
  if (out.rows !== m || out.cols !== n) {
    fail(op, `${given}, so out must be (${m}, ${n}) but is ${shape(out)}`);
  }
  if (x !== undefined && overlaps(x, out)) fail(op, `out ${shape(out)} overlaps x ${shape(x)}`);
}

function checkIndices(op: string, name: string, indices: Int32Array, limit: number): void {
  for (let r = 0; r < indices.length; r++) {
    const v = indices[r];
    if (v < 0 || v >= limit) {
      fail(op, `${name} must be from 0 to ${limit - 1} but found ${v} at index ${r}`);
    }
  }
}

const CHECKS: {
  [K in keyof BackendPrimitives]: (args: Parameters<BackendPrimitives[K]>[0]) => void;
} = {
  gemm({ a, b, c, transA = false, transB = false }) {
    const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
    const [k2, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
    const opA = `${transA ? "Aᵀ " : ""}(${m}, ${k})`, opB = `${transB ? "Bᵀ " : ""}(${k2}, ${n})`;
    const ops = `op(A) is ${opA} and op(B) is ${opB}`;
    if (k !== k2) fail("gemm", `${ops}: inner sizes ${k} and ${k2} differ`);
    if (c.rows !== m || c.cols !== n) fail("gemm", `${ops} but C is ${shape(c)}, not (${m}, ${n})`);
    if (overlaps(c, a) || overlaps(c, b)) {
      fail("gemm", `C ${shape(c)} shares memory with A ${shape(a)} or B ${shape(b)}`);
    }
  },
  axpby({ x, y }) {
    checkSameShape("axpby", ["x", "y"], x, y);
    // y may be x itself, but not partly overlap it
    const same = x.data.buffer === y.data.buffer && x.data.byteOffset === y.data.byteOffset;
    if (overlaps(x, y) && !same) fail("axpby", `y ${shape(y)} partly overlaps x ${shape(x)}`);
  },
  adam({ p, g, m, v, step, rows = null }) {
    if (rows === null) checkSameShape("adam", ["p", "g"], p, g);
    else {
      if (g.rows !== rows.length || g.cols !== p.cols) {
        fail("adam", `p is ${shape(p)} and rows has ${rows.length} indices, but g is ${shape(g)}`);
      }
      checkIndices("adam", "rows", rows, p.rows);
      const r = rows.findIndex((row, i) => i > 0 && row <= rows[i - 1]);
      if (r > 0) {
        fail("adam", `rows must increase but found ${rows[r]} after ${rows[r - 1]} at index ${r}`);
      }
    }
    checkSameShape("adam", ["p", "m"], p, m);
    checkSameShape("adam", ["p", "v"], p, v);
    const named: [string, Matrix][] = [["p", p], ["g", g], ["m", m], ["v", v]];
    named.forEach(([name, x], i) => {
      for (const [other, y] of named.slice(0, i)) {
        if (overlaps(x, y)) fail("adam", `${name} ${shape(x)} overlaps ${other} ${shape(y)}`);
      }
    });
    if (!Number.isInteger(step) || step < 1) {
      fail("adam", `step must be a positive integer but found ${step}`);
    }
  },
  nonzeroColumns() {},
  gatherColumns({ x, columns, out }) {
    const given = `x is ${shape(x)} with ${columns.length} columns to take`;
    checkOut("gatherColumns", given, out, [x.rows, columns.length], x);
    checkIndices("gatherColumns", "columns", columns, x.cols);
  },
  gatherRows({ x, rows, out }) {
    const given = `x is ${shape(x)} with ${rows.length} rows to take`;
    checkOut("gatherRows", given, out, [rows.length, x.cols], x);
    checkIndices("gatherRows", "rows", rows, x.rows);
  },
  scatterRows({ x, rows, out }) {
    if (x.rows !== rows.length || out.cols !== x.cols) {
      fail(
        "scatterRows",
        `x is ${shape(x)} with ${rows.length} row indices, so out must have ${x.cols} columns ` +
          `and x ${rows.length} rows, but out is ${shape(out)}`,
      );
    }
    checkIndices("scatterRows", "rows", rows, out.rows);
    if (overlaps(x, out)) fail("scatterRows", `out ${shape(out)} overlaps x ${shape(x)}`);
  },
  biasActivation({ z, b }) {
    if (b.rows !== 1 || b.cols !== z.cols) {
      fail("biasActivation", `z is ${shape(z)}, so b must be (1, ${z.cols}) but is ${shape(b)}`);
    }
  },
  activationBackward({ dh, h }) {
    checkSameShape("activationBackward", ["dh", "h"], dh, h);
  },
  softmaxCrossEntropy({ o, labels, dO }) {
    if (labels.length !== o.rows) {
      fail("softmaxCrossEntropy", `o is ${shape(o)} but there are ${labels.length} labels`);
    }
    if (o.cols === 0 && o.rows > 0) fail("softmaxCrossEntropy", "o has no columns");
    if (dO !== null) {
      checkSameShape("softmaxCrossEntropy", ["o", "dO"], o, dO);
      if (overlaps(o, dO)) fail("softmaxCrossEntropy", `dO ${shape(dO)} overlaps o ${shape(o)}`);
    }
  },
  columnSums({ x, out }) {
    checkOut("columnSums", `x is ${shape(x)}`, out, [1, x.cols]);
  },
};

/** The name of every primitive, in the order of {@linkcode BackendPrimitives}. */
export const PRIMITIVE_NAMES = Object.keys(CHECKS) as readonly (keyof BackendPrimitives)[];
