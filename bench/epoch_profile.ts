// Where one MNIST epoch's time goes: trains the 784-300-10 network (plain SGD, lr 0.3, or with
// --optimizer adam Adam, lr 0.001; seed 0)
// for a few epochs through trainMlp, on a backend whose every primitive is timed, and prints per
// epoch the seconds inside each primitive and the rest (batches built from the bytes, the
// training loop, and in a two-core run the waits for the other half, whose own primitives are
// not timed). Asserts nothing; the machine drifts, so compare runs from one sitting.
//
//   deno task bench:profile [--backend openblas|openblas-js|wasm|js] [--batch 50] [--cores 1|2] [--epochs 2]
//                           [--optimizer sgd|adam] [--threads 1]
//
// OpenBLAS runs on --threads threads, 1 by default (as in a two-core run's halves and a grid's
// workers).
import { parseArgs } from "node:util";
import { type BackendName, getBackend, loadMnist, mnistDataDir, trainMlp } from "../lib/mod.ts";
import { BACKEND_NAMES } from "../lib/tensor/get_backend.ts";
import { type Backend, PRIMITIVE_NAMES } from "../lib/tensor/backend.ts";
import { machine, numpyEpochLine } from "./_machine.ts";

const USAGE =
  "usage: deno task bench:profile [--backend openblas|openblas-js|wasm|js] [--batch 50] " +
  "[--cores 1|2] [--epochs 2] [--optimizer sgd|adam] [--threads 1]";

/** Prints the problem and the usage, and exits 2. */
function usageError(message: string): never {
  console.error(`bench:profile: ${message}\n${USAGE}`);
  Deno.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    args: Deno.args,
    options: {
      backend: { type: "string", default: "openblas" },
      batch: { type: "string", default: "50" },
      cores: { type: "string", default: "1" },
      epochs: { type: "string", default: "2" },
      optimizer: { type: "string", default: "sgd" },
      threads: { type: "string", default: "1" },
    },
  }));
} catch (error) {
  usageError((error as Error).message);
}
/** The integer value of an option, at least `min`. */
function integer(option: string, min: number): number {
  const value = Number(values[option]);
  if (!Number.isInteger(value) || value < min) {
    usageError(
      `Expected --${option} to be an integer of at least ${min} but found "${values[option]}"`,
    );
  }
  return value;
}
/** The value of an option, one of `names`. */
function oneOf<T extends string>(option: string, names: readonly T[]): T {
  const value = values[option] as T;
  if (!names.includes(value)) {
    usageError(`Expected --${option} to be one of ${names.join(", ")} but found "${value}"`);
  }
  return value;
}
const name: BackendName = oneOf("backend", BACKEND_NAMES);
const batchSize = integer("batch", 1), epochs = integer("epochs", 1);
const cores = oneOf("cores", ["1", "2"]) === "1" ? 1 : 2;
const optimizer = oneOf("optimizer", ["sgd", "adam"]);
const base = getBackend({ name });
base.threads?.set(integer("threads", 1)); // OpenBLAS's, process-wide

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
for (const line of machine()) console.log(line);
console.log(`  ${await numpyEpochLine(await mnistDataDir(), batchSize)}`);
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
