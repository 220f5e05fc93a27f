// Where one MNIST epoch's time goes: trains the 784-300-10 network (plain SGD, lr 0.3, or with
// --optimizer adam Adam, lr 0.001; seed 0)
// for a few epochs through trainMlp, on a backend whose every primitive is timed, and prints per
// epoch the seconds inside each primitive and the rest (batches built from the bytes, the
// training loop, and in a two-core run the waits for the other half, whose own primitives are
// not timed). Asserts nothing; the machine drifts, so compare runs from one sitting.
//
//   deno task bench:profile [--backend openblas|openblas-js|wasm|js] [--batch 50] [--cores 1|2] [--epochs 2]
//                           [--optimizer sgd|adam]
//
// OpenBLAS runs on one thread (as in a two-core run's halves and a grid's workers).
import { parseArgs } from "node:util";
import { type BackendName, getBackend, loadMnist, trainMlp } from "../lib/mod.ts";
import { type Backend, PRIMITIVE_NAMES } from "../lib/tensor/backend.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backend: { type: "string", default: "openblas" },
    batch: { type: "string", default: "50" },
    cores: { type: "string", default: "1" },
    epochs: { type: "string", default: "2" },
    optimizer: { type: "string", default: "sgd" },
  },
});
const name = values.backend as BackendName;
const batchSize = Number(values.batch), cores = Number(values.cores);
const epochs = Number(values.epochs);
const optimizer = values.optimizer === "adam" ? "adam" : "sgd";
const base = getBackend({ name });
base.threads?.set(1); // OpenBLAS's, process-wide

/** Seconds inside each primitive since the last epoch. */
const seconds = Object.fromEntries(PRIMITIVE_NAMES.map((key) => [key, 0]));
const timed: Record<string, unknown> = { name: base.name, matrix: base.matrix };
for (const key of PRIMITIVE_NAMES) {
  const primitive = base[key] as (args: unknown) => unknown;
  timed[key] = (args: unknown) => {
    const start = performance.now();
    try {
      return primitive(args);
    } finally {
      seconds[key] += (performance.now() - start) / 1000;
    }
  };
}

const data = await loadMnist();
console.log(
  `${name}, ${optimizer}, batch ${batchSize}, ${cores} core${
    cores === 1 ? "" : "s"
  }: seconds per epoch ` +
    "(epoch = trainMlp's trainSeconds, shuffle included, evaluation excluded)",
);
const rows: Record<string, string>[] = [];
trainMlp(data, {
  lr: optimizer === "adam" ? 0.001 : 0.3,
  optimizer,
  seed: 0,
  epochs,
  batchSize,
  cores,
  backend: timed as unknown as Backend,
  evaluateEachEpoch: false,
  onEpoch({ epoch, trainSeconds }) {
    const inside = Object.values(seconds).reduce((a, b) => a + b, 0);
    rows.push({
      epoch: String(epoch),
      "epoch s": trainSeconds.toFixed(3),
      ...Object.fromEntries(
        Object.entries(seconds).filter(([, s]) => s > 0).map(([key, s]) => [key, s.toFixed(3)]),
      ),
      "rest s": (trainSeconds - inside).toFixed(3),
    });
    for (const key of PRIMITIVE_NAMES) seconds[key] = 0;
  },
});
console.table(rows);
