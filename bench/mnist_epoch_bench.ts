// Seconds per MNIST epoch (55,000 images, batch 50, 784-300-10, plain SGD, median of EPOCHS
// epochs) for ours on OpenBLAS, ours dense on OpenBLAS (no column compaction), ours on the js
// backend, numpy (bench/mnist_numpy.py) and PyTorch (bench/mnist_torch.py), each in its own
// process, in the machine's default environment; printed side by side with the peak resident
// memory of each process and the targets.
//
//   deno task bench:mnist [EPOCHS]          (installs python3-numpy and python3-torch if missing)
import { fileURLToPath } from "node:url";
import { mnistDataDir } from "../lib/mod.ts";

interface PeerResult {
  peer: string;
  epochSeconds: number[];
  medianEpochSeconds: number;
  accuracy?: number;
  peakRssMb: number;
}

const epochs = Number(Deno.args[0] ?? 3);
if (!Number.isInteger(epochs) || epochs < 1) {
  console.error(`Expected EPOCHS to be an integer of at least 1 but found ${Deno.args[0]}`);
  Deno.exit(2);
}
const here = fileURLToPath(new URL(".", import.meta.url));
const dataDir = await mnistDataDir();

async function runPeer(command: string, args: string[]): Promise<PeerResult> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const stdout = new TextDecoder().decode(output.stdout).trim().split("\n");
  if (!output.success) {
    throw new Error(
      `${command} ${args.join(" ")} failed:\n${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return JSON.parse(stdout.at(-1)!);
}

const deno = Deno.execPath();
const ours = (backend: string, ...flags: string[]) =>
  runPeer(deno, [
    "run",
    "--allow-all",
    `${here}_mnist_epoch_ours.ts`,
    backend,
    String(epochs),
    ...flags,
  ]);
const python = (script: string) =>
  runPeer("/usr/bin/python3", [`${here}${script}`, "--data", dataDir, "--epochs", String(epochs)]);

console.log(`MNIST epoch: 55,000 images, batch 50, 784-300-10, plain SGD; median of ${epochs}`);
const results: PeerResult[] = [];
for (
  const run of [
    () => ours("openblas"),
    () => ours("openblas", "--dense"),
    () => python("mnist_numpy.py"),
    () => python("mnist_torch.py"),
    () => ours("js"),
  ]
) {
  const result = await run();
  results.push(result);
  console.log(`  measured ${result.peer}: ${result.medianEpochSeconds.toFixed(3)} s`);
}

const numpy = results.find((r) => r.peer === "numpy")!;
const pad = (s: string, n: number) => s.padEnd(n);
console.log("");
console.log(
  `${pad("", 26)}${pad("s/epoch", 10)}${pad("× numpy", 9)}${pad("peak MB", 9)}epochs (s)`,
);
for (const r of results) {
  console.log(
    `${pad(r.peer, 26)}${pad(r.medianEpochSeconds.toFixed(3), 10)}${
      pad((r.medianEpochSeconds / numpy.medianEpochSeconds).toFixed(2), 9)
    }${pad(r.peakRssMb.toFixed(0), 9)}${r.epochSeconds.map((s) => s.toFixed(3)).join(" ")}`,
  );
}
const openblas = results[0], js = results.at(-1)!;
const ratio = openblas.medianEpochSeconds / numpy.medianEpochSeconds;
console.log("");
console.log(
  `targets: openblas ≤ 1.0 × numpy (stretch 0.75): ${ratio.toFixed(2)} × — ${
    ratio <= 0.75 ? "stretch met" : ratio <= 1 ? "met" : "NOT met"
  }`,
);
console.log(
  `         js ≤ 4 s: ${js.medianEpochSeconds.toFixed(2)} s — ${
    js.medianEpochSeconds <= 4 ? "met" : "NOT met"
  }`,
);
const peak = Math.max(openblas.peakRssMb, js.peakRssMb);
console.log(
  `         peak resident memory of our runs ≤ 400 MB: ${peak.toFixed(0)} MB — ${
    peak <= 400 ? "met" : "NOT met"
  }`,
);
