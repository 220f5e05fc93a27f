/**
 * The worker half of a two-core run (see _two_core.ts): it holds the second half of the hidden
 * units and answers the main thread's requests until told to stop.
 *
 * @module
 */

import { type BackendName, getBackend } from "../tensor/get_backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import type { ActivationName } from "../tensor/activation.ts";
import { Mlp } from "./mlp.ts";
import { Sgd } from "./sgd.ts";
import { CONTROL, sharedLayout, signal, type TwoCoreSgd, waitFor } from "./_two_core.ts";

interface Init {
  buffer: SharedArrayBuffer;
  sizes: [number, number, number];
  maxBatch: number;
  activation: ActivationName;
  backend: BackendName;
  compact: boolean;
  sgd: TwoCoreSgd;
  W0: Float32Array;
  b0: Float32Array;
  W1: Float32Array;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Init>) => void) | null };

scope.onmessage = ({ data: init }) => {
  const [n0, h1, n2] = init.sizes;
  const shared = sharedLayout(n0, h1, n2, init.maxBatch, init.buffer);
  const { control } = shared;
  try {
    const weights = [new Matrix(n0, h1, init.W0), new Matrix(h1, n2, init.W1)];
    const biases = [new Matrix(1, h1, init.b0), new Matrix(1, n2)]; // the output bias is main's
    const { activation: activations, compact } = init, backend = getBackend({ name: init.backend });
    // a copy, in the backend's memory
    const half = new Mlp({ weights, biases }, { activations, backend, compact }).clone();
    const sgd = new Sgd(half, init.sgd);
    const X = half.backend.matrix(init.maxBatch, n0).data; // the batch in the backend's memory
    signal(control, CONTROL.ready, 1);
    for (let generation = 1;; generation++) {
      waitFor(control, CONTROL.batch, generation, true); // the next request, whenever it comes
      const rows = control[CONTROL.rows];
      if (rows < 0) return;
      if (rows === 0) {
        shared.params.W0.set(half.weights[0].data);
        shared.params.b0.set(half.biases[0].data);
        shared.params.W1.set(half.weights[1].data);
      } else {
        const k = control[CONTROL.compacted], cols = k < 0 ? n0 : k;
        X.set(shared.X.subarray(0, rows * cols));
        const values = new Matrix(rows, cols, X.subarray(0, rows * cols));
        const inputs = k < 0 ? values : { values, columns: shared.columns.subarray(0, k) };
        half.trainStep(inputs, shared.labels.subarray(0, rows), {
          optimizer: sgd,
          // the loss is the main half's, on the whole logits: this half gets its ∂l/∂O
          loss: (_backend, O, _labels, dO) => {
            const n = rows * n2;
            shared.partial.set(O.data.subarray(0, n));
            signal(control, CONTROL.partial, generation);
            waitFor(control, CONTROL.gradient, generation);
            dO!.data.set(shared.dO.subarray(0, n));
            return { lossSum: 0, correct: 0 };
          },
        });
        half.biases[1].data.fill(0); // its step moved the output bias, which is not its to keep
      }
      signal(control, CONTROL.done, generation);
    }
  } catch (error) {
    console.error(error);
    signal(control, CONTROL.failed, 1);
  }
};
