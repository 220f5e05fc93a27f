// Helpers shared by the reference ops: the backend to run on, output allocation, shape checks.
import type { Backend } from "../../../lib/tensor/backend.ts";
import { defaultBackend } from "../../../lib/tensor/get_backend.ts";
import { Matrix } from "../../../lib/tensor/matrix.ts";

/** The backend an op runs on: the one passed, else the default. */
export function backendOf(options: { backend?: Backend }): Backend {
  return options.backend ?? defaultBackend();
}

/** The output matrix: the one passed, checked against the shape, else new zeros. */
export function outputFor(op: string, rows: number, cols: number, out?: Matrix): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  if (out.rows !== rows || out.cols !== cols) {
    throw new RangeError(`Cannot ${op}: out must be (${rows}, ${cols}) but is ${shapeOf(out)}`);
  }
  return out;
}

/** "(rows, cols)", for messages. */
export function shapeOf(m: Matrix): string {
  return `(${m.rows}, ${m.cols})`;
}

/** Throws a RangeError naming the op and both shapes unless x and y have the same shape. */
export function checkSameShape(op: string, names: [string, string], x: Matrix, y: Matrix): void {
  if (x.rows !== y.rows || x.cols !== y.cols) {
    throw new RangeError(
      `Cannot ${op}: ${names[0]} is ${shapeOf(x)} but ${names[1]} is ${shapeOf(y)}`,
    );
  }
}

/** Throws unless there is one label per row of the logits, each a class of them. */
export function checkLabels(op: string, logits: Matrix, labels: ArrayLike<number>): void {
  if (labels.length !== logits.rows) {
    throw new RangeError(
      `Cannot ${op}: logits are ${shapeOf(logits)} but there are ${labels.length} labels`,
    );
  }
  if (logits.rows === 0) throw new RangeError(`Cannot ${op}: the batch is empty`);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= logits.cols) {
      throw new RangeError(
        `Expected labels to be integers from 0 to ${logits.cols - 1} but found ${c} at index ${i}`,
      );
    }
  }
}
