// The plain 5-epoch protocol (784-300-10, batch 50, lr 0.3, plain SGD, trained on all 60,000
// images, scored on the 10,000 test images) run by the numpy and PyTorch peers for three seeds;
// the results are printed and stored in data/results/peers-plain-protocol.parquet, which notebook
// 05 reads for its comparison table.
//
//   deno task bench:peers          (installs python3-numpy and python3-torch if missing)
import { fileURLToPath } from "node:url";
import { mnistDataDir, pl } from "../lib/mod.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = fileURLToPath(new URL("../data/results/peers-plain-protocol.parquet", import.meta.url));
const dataDir = await mnistDataDir();
const rows: Record<string, unknown>[] = [];
for (const peer of ["mnist_numpy.py", "mnist_torch.py"]) {
  for (const seed of [0, 1, 2]) {
    const args = [`${here}${peer}`, "--data", dataDir, "--final", "--epochs", "5", "--lr", "0.3"];
    args.push("--batch", "50", "--seed", String(seed));
    const result = await new Deno.Command("/usr/bin/python3", { args, stdout: "piped" }).output();
    if (!result.success) throw new Error(`${peer} failed for seed ${seed}`);
    const line = JSON.parse(new TextDecoder().decode(result.stdout).trim().split("\n").at(-1)!);
    console.log(`${line.peer} seed ${seed}: test accuracy ${line.accuracy.toFixed(4)}`);
    rows.push({
      peer: line.peer,
      seed,
      epochs: line.epochs,
      lr: line.lr,
      batchSize: line.batchSize,
      testLoss: line.loss,
      testAccuracy: line.accuracy,
      medianEpochSeconds: line.medianEpochSeconds,
      measuredOn: new Date().toISOString().slice(0, 10),
    });
  }
}
const frame = pl.DataFrame(rows);
await Deno.mkdir(fileURLToPath(new URL("../data/results/", import.meta.url)), { recursive: true });
const temporary = `${out}.partial`;
frame.writeParquet(temporary);
await Deno.rename(temporary, out);
console.log(`wrote ${out}`);
