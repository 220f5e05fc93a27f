import { assert, assertEquals, assertThrows } from "@std/assert";
import { loadMnist } from "../../lib/data/mnist.ts";
import { trainMlp } from "../../lib/nn/train_mlp.ts";
import { availableBackends } from "../../lib/tensor/get_backend.ts";

const data = await loadMnist({ trainLimit: 2000, evalLimit: 500 });

for (const backend of availableBackends()) {
  // The halves sum in another order than one core, and under momentum those float32 rounding
  // differences grow step by step (measured at batch 10, momentum 0.9: at most 7e-7 relative by
  // step 200 on every backend, then 3e-6 on OpenBLAS and 1.2e-5 on wasm by step 400), so that case
  // runs 200 steps (one epoch) and the other 2 epochs of 40.
  for (
    const [batchSize, momentum, hidden, epochs] of [[50, 0, 300, 2], [10, 0.9, 33, 1]] as const
  ) {
    Deno.test(`trainMlp() on 2 cores follows the 1-core run: ${backend.name}, batch ${batchSize}, momentum ${momentum}, ${hidden} hidden`, () => {
      const options = {
        lr: 0.1,
        seed: 3,
        epochs,
        batchSize,
        momentum,
        hidden: [hidden],
        backend,
      };
      const one = trainMlp(data, options);
      const two = trainMlp(data, { ...options, cores: 2 });
      assertEquals(two.batchLosses.length, one.batchLosses.length);
      let worst = 0;
      one.batchLosses.forEach((loss, i) => {
        worst = Math.max(worst, Math.abs(two.batchLosses[i] - loss) / Math.abs(loss));
      });
      assert(worst < 1e-5, `the loss curves differ by ${worst} relative`);
      for (const [a, b] of [[one.epochs, two.epochs]]) {
        assertEquals(a.map((e) => e.evalAccuracy), b.map((e) => e.evalAccuracy));
      }
      // the halves are put back together in the returned network, weight for weight
      one.mlp.weights.forEach((W, l) => {
        let diff = 0;
        W.data.forEach((w, i) => diff = Math.max(diff, Math.abs(w - two.mlp.weights[l].data[i])));
        assert(diff < 1e-4, `W_${l} differs by ${diff}`);
      });
    });
  }
}

Deno.test("trainMlp() refuses 2 cores for what the split does not implement, naming cores", () => {
  for (
    const options of [{ hidden: [30, 20] }, { hidden: [1] }, { optimizer: "adam" as const }, {
      loss: "seedReport" as const,
    }, { cores: 3 }]
  ) {
    assertThrows(
      () => trainMlp(data, { lr: 0.1, seed: 0, epochs: 1, cores: 2, ...options }),
      RangeError,
      "Expected cores to be 1, or 2 for one hidden layer of at least 2 units trained by SGD on the cross-entropy",
    );
  }
});
