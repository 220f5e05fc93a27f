// One process of bench/mnist_epoch_bench.ts: trains our 784-300-10 MLP on the 55,000 training
// images (batch 50, plain SGD) for a few epochs on one backend and prints one JSON line with the
// seconds of each epoch, the validation accuracy and the process's peak resident memory.
//
//   deno run --allow-all bench/_mnist_epoch_ours.ts BACKEND EPOCHS [--dense]
import { getBackend, loadMnist, trainMlp } from "../lib/mod.ts";

const [name = "openblas", epochsText = "3", flag] = Deno.args;
const backend = getBackend({ name: name as "js" | "openblas" });
const data = await loadMnist();
const run = trainMlp(data, {
  lr: 0.3,
  seed: 0,
  epochs: Number(epochsText),
  batchSize: 50,
  backend,
  compact: flag !== "--dense",
});
const epochSeconds = run.epochs.map((e) => e.trainSeconds);
const sorted = [...epochSeconds].sort((a, b) => a - b);
const status = Deno.readTextFileSync("/proc/self/status");
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
console.log(JSON.stringify({
  peer: `ours (${backend.name}${flag === "--dense" ? ", dense" : ""})`,
  epochSeconds,
  medianEpochSeconds: sorted[Math.floor(sorted.length / 2)],
  accuracy: run.epochs.at(-1)?.evalAccuracy,
  peakRssMb: peakKb / 1024,
}));
