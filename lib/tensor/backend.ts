/**
 * The Backend interface: the few primitives the network (lib/nn/mlp.ts) and its optimizers run
 * on, the products, the SGD and Adam steps, column compaction and the fused elementwise passes
 * (bias and activation, its derivative, softmax with cross-entropy, column sums), with the shape
 * checks every backend shares, and where a backend keeps its matrices. The shipped backends are
 * listed in get_backend.ts.
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

/** Arguments of {@linkcode Backend.axpby}: y ← alpha · x + beta · y. */
export interface AxpbyArgs {
  /** The scale of x. */
  alpha: number;
  /** The input: (m, n). */
  x: Matrix;
  /** The scale of y's old value. */
  beta: number;
  /** The output, updated in place: (m, n). */
  y: Matrix;
}

/**
 * Arguments of {@linkcode Backend.adam}: one Adam step, elementwise over a parameter. p, m and v
 * have the same shape, g that shape or only its `rows`, and none shares memory with another.
 */
export interface AdamArgs {
  /** The parameter, updated in place: (rows, cols). */
  p: Matrix;
  /** Its gradient: (rows, cols); or, with `rows`, those rows only: (k, cols), zero elsewhere. */
  g: Matrix;
  /** The rows of p that g holds (strictly increasing), or null when it holds all. @default {null} */
  rows?: Int32Array | null;
  /** The running mean of the gradient, updated in place: (rows, cols). */
  m: Matrix;
  /** The running mean of the squared gradient, updated in place: (rows, cols). */
  v: Matrix;
  /** The learning rate of this step (already scheduled). */
  lr: number;
  /** β₁, the decay of m, from 0 to below 1 (checked by the caller). */
  beta1: number;
  /** β₂, the decay of v, from 0 to below 1 (checked by the caller). */
  beta2: number;
  /** ε, added to √v̂, greater than 0 (checked by the caller). */
  epsilon: number;
  /** t, the 1-based number of this step: a positive integer. */
  step: number;
}

/** Arguments of {@linkcode Backend.gatherColumns}: out[i, c] ← x[i, columns[c]]. */
export interface GatherColumnsArgs {
  /** The input: (m, n). */
  x: Matrix;
  /** The columns to take, each from 0 to n − 1: k of them. */
  columns: Int32Array;
  /** The output: (m, k). */
  out: Matrix;
}

/**
 * Arguments of {@linkcode Backend.gatherRows} (out[r, :] ← x[rows[r], :]; x is (m, n), out
 * (k, n)) and {@linkcode Backend.scatterRows} (out[rows[r], :] ← x[r, :]; x is (k, n), out (m, n),
 * its rows not listed left as they are).
 */
export interface RowsArgs {
  /** The input. */
  x: Matrix;
  /** k row indices into the (m, n) side, each from 0 to m − 1. */
  rows: Int32Array;
  /** The output. */
  out: Matrix;
}

/** Arguments of {@linkcode Backend.biasActivation}: z ← f(z + b) row by row. */
export interface BiasActivationArgs {
  /** The pre-activations, replaced by the activations: (m, n). */
  z: Matrix;
  /** The bias: (1, n). */
  b: Matrix;
  /** f: a hidden activation, or "none" for the bias alone (the output layer). */
  activation: ActivationName | "none";
}

/** Arguments of {@linkcode Backend.activationBackward}: dh ← dh ⊙ f′, f′ computed from h = f(z). */
export interface ActivationBackwardArgs {
  /** ∂l/∂h, replaced by ∂l/∂z: (m, n). */
  dh: Matrix;
  /** The activations h = f(z): (m, n). */
  h: Matrix;
  /** f. */
  activation: ActivationName;
}

/**
 * Arguments of {@linkcode Backend.softmaxCrossEntropy}: the softmax of each row of the logits,
 * the cross-entropy against integer labels and, when dO is given, ∂l/∂O of the mean loss.
 */
export interface SoftmaxCrossEntropyArgs {
  /** The logits O: (m, n). */
  o: Matrix;
  /**
   * The class of each row: m integers from 0 to n − 1. Only their number is checked here; their
   * values are checked by the caller (the model, once per batch). A value out of range gives
   * wrong numbers, but no backend reads or writes outside o and dO for it.
   */
  labels: ArrayLike<number>;
  /** Where ∂l/∂O = (y − t)/m goes, or null for the loss alone: (m, n). */
  dO: Matrix | null;
}

/** What {@linkcode Backend.softmaxCrossEntropy} returns. */
export interface SoftmaxCrossEntropyResult {
  /** The summed (not mean) loss over the rows. */
  lossSum: number;
  /** The number of rows whose largest logit (the first, on ties) is the label. */
  correct: number;
}

/**
 * The primitives a backend supplies. Each writes into the output it is given and returns it;
 * none allocates a matrix. Shapes are checked before a backend's code runs (see
 * {@linkcode defineBackend}), so an implementation may assume them.
 */
export interface BackendPrimitives {
  /** General matrix product: C ← alpha · op(A) · op(B) + beta · C. */
  gemm(args: GemmArgs): Matrix;
  /** y ← alpha · x + beta · y (BLAS saxpby). */
  axpby(args: AxpbyArgs): Matrix;
  /**
   * One Adam step at step t, lr already scheduled: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
   * p ← p − lr · (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε), elementwise; returns p.
   */
  adam(args: AdamArgs): Matrix;
  /** The columns of x holding at least one nonzero, in increasing order. */
  nonzeroColumns(args: { x: Matrix }): Int32Array;
  /** out[i, c] ← x[i, columns[c]]. */
  gatherColumns(args: GatherColumnsArgs): Matrix;
  /** out[r, :] ← x[rows[r], :]. */
  gatherRows(args: RowsArgs): Matrix;
  /** out[rows[r], :] ← x[r, :]. */
  scatterRows(args: RowsArgs): Matrix;
  /** z ← f(z + b) row by row. */
  biasActivation(args: BiasActivationArgs): Matrix;
  /** dh ← dh ⊙ f′(z), from h = f(z). */
  activationBackward(args: ActivationBackwardArgs): Matrix;
  /** The summed loss and the correct count of a batch of logits, and ∂l/∂O when asked. */
  softmaxCrossEntropy(args: SoftmaxCrossEntropyArgs): SoftmaxCrossEntropyResult;
  /** out ← the column sums of x: x is (m, n), out (1, n). */
  columnSums(args: { x: Matrix; out: Matrix }): Matrix;
}

/** A named set of primitives, shape-checked: what the network runs on. */
export interface Backend extends BackendPrimitives {
  /** The backend's name: for the backends shipped here, one of BACKEND_NAMES (get_backend.ts). */
  readonly name: string;
  /**
   * A (rows, cols) matrix of zeros in the memory the primitives work on in place (for the wasm
   * backend, its module's memory; a matrix from elsewhere is copied in and out on each call).
   */
  matrix(rows: number, cols: number): Matrix;
  /**
   * What decides this backend's numbers beyond its name, as one line: for the wasm kernels the
   * SHA-256 of their binary, for OpenBLAS its build string, core type and thread count now (a
   * run's key holds it, lib/store/run_key.ts).
   */
  identity(): string;
  /**
   * The backend's own thread count, for a backend that has one (OpenBLAS's is process-wide, and
   * it sums in another order on another count); absent for backends that compute on the calling
   * thread alone.
   */
  readonly threads?: BackendThreads;
}

/** A backend's process-wide thread count: read it, set it. */
export interface BackendThreads {
  /** The thread count now. */
  count(): number;
  /** Sets the thread count (a positive integer) for the whole process. */
  set(count: number): void;
}

/** The name of every primitive, in the order of {@linkcode BackendPrimitives}. */
export const PRIMITIVE_NAMES: readonly (keyof BackendPrimitives)[] = [
  "gemm",
  "axpby",
  "adam",
  "nonzeroColumns",
  "gatherColumns",
  "gatherRows",
  "scatterRows",
  "biasActivation",
  "activationBackward",
  "softmaxCrossEntropy",
  "columnSums",
];

/** Options of {@linkcode defineBackend}. */
export interface DefineBackendOptions {
  /** Where its matrices live. @default {new zeroed matrices in ordinary memory} */
  matrix?: (rows: number, cols: number) => Matrix;
  /** Its {@linkcode Backend.identity}. @default {its name} */
  identity?: () => string;
  /** Its {@linkcode Backend.threads}. @default {none} */
  threads?: BackendThreads;
}

/**
 * Makes a backend from primitives: each is wrapped with its shape checks (a RangeError naming
 * the primitive and the shapes found), and each one missing throws an error naming it when
 * called.
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
 * const c = tiny.gemm({ a: Matrix.from([[1, 2]]), b: Matrix.from([[3], [4]]), c: Matrix.zeros(1, 1) });
 * assertEquals(c.toArray(), [[11]]);
 * const x = Matrix.zeros(1, 1);
 * assertThrows(() => tiny.axpby({ alpha: 1, x, beta: 1, y: x }), Error, 'Backend "tiny" does not implement axpby');
 * assertThrows(() => tiny.gemm({ a: x, b: c, c: Matrix.zeros(2, 2) }), RangeError, "Cannot gemm");
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

function identical(x: Matrix, y: Matrix): boolean {
  return x.data.buffer === y.data.buffer && x.data.byteOffset === y.data.byteOffset &&
    x.rows === y.rows && x.cols === y.cols;
}

/** out may be the input itself, but not partly overlap it. */
function checkInPlace(op: string, name: string, input: Matrix, out: Matrix): void {
  if (overlaps(input, out) && !identical(input, out)) {
    fail(op, `out ${shape(out)} partly overlaps ${name} ${shape(input)}`);
  }
}

function checkSameShape(op: string, names: [string, string], x: Matrix, y: Matrix): void {
  if (x.rows !== y.rows || x.cols !== y.cols) {
    fail(op, `${names[0]} is ${shape(x)} but ${names[1]} is ${shape(y)}`);
  }
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
    const ops = `op(A) is ${transA ? "Aᵀ " : ""}(${m}, ${k}) and op(B) is ${
      transB ? "Bᵀ " : ""
    }(${k2}, ${n})`;
    if (k !== k2) fail("gemm", `${ops}: inner sizes ${k} and ${k2} differ`);
    if (c.rows !== m || c.cols !== n) fail("gemm", `${ops} but C is ${shape(c)}, not (${m}, ${n})`);
    if (overlaps(c, a) || overlaps(c, b)) {
      fail("gemm", `C ${shape(c)} shares memory with A ${shape(a)} or B ${shape(b)}`);
    }
  },
  axpby({ x, y }) {
    checkSameShape("axpby", ["x", "y"], x, y);
    checkInPlace("axpby", "x", x, y);
  },
  adam({ p, g, m, v, step, rows = null }) {
    if (rows === null) checkSameShape("adam", ["p", "g"], p, g);
    else {
      if (g.rows !== rows.length || g.cols !== p.cols) {
        fail("adam", `p is ${shape(p)} and rows has ${rows.length} indices, but g is ${shape(g)}`);
      }
      checkIndices("adam", "rows", rows, p.rows);
      for (let r = 1; r < rows.length; r++) {
        if (rows[r] <= rows[r - 1]) {
          fail(
            "adam",
            `rows must increase but found ${rows[r]} after ${rows[r - 1]} at index ${r}`,
          );
        }
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
    if (out.rows !== x.rows || out.cols !== columns.length) {
      fail(
        "gatherColumns",
        `x is ${
          shape(x)
        } with ${columns.length} columns to take, so out must be (${x.rows}, ${columns.length}) but is ${
          shape(out)
        }`,
      );
    }
    checkIndices("gatherColumns", "columns", columns, x.cols);
    if (overlaps(x, out)) fail("gatherColumns", `out ${shape(out)} overlaps x ${shape(x)}`);
  },
  gatherRows({ x, rows, out }) {
    if (out.rows !== rows.length || out.cols !== x.cols) {
      fail(
        "gatherRows",
        `x is ${
          shape(x)
        } with ${rows.length} rows to take, so out must be (${rows.length}, ${x.cols}) but is ${
          shape(out)
        }`,
      );
    }
    checkIndices("gatherRows", "rows", rows, x.rows);
    if (overlaps(x, out)) fail("gatherRows", `out ${shape(out)} overlaps x ${shape(x)}`);
  },
  scatterRows({ x, rows, out }) {
    if (x.rows !== rows.length || out.cols !== x.cols) {
      fail(
        "scatterRows",
        `x is ${
          shape(x)
        } with ${rows.length} row indices, so out must have ${x.cols} columns and x ${rows.length} rows, but out is ${
          shape(out)
        }`,
      );
    }
    checkIndices("scatterRows", "rows", rows, out.rows);
    if (overlaps(x, out)) fail("scatterRows", `out ${shape(out)} overlaps x ${shape(x)}`);
  },
  biasActivation({ z, b }) {
    if (b.rows !== 1 || b.cols !== z.cols) {
      fail("biasActivation", `z is ${shape(z)} so b must be (1, ${z.cols}) but is ${shape(b)}`);
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
    if (out.rows !== 1 || out.cols !== x.cols) {
      fail("columnSums", `x is ${shape(x)} so out must be (1, ${x.cols}) but is ${shape(out)}`);
    }
  },
};
