// One runner of bench/mnist_epoch_bench.ts: our 784-300-10 MLP on the 55,000 training images
// (plain SGD at lr 0.3, or Adam at lr 0.001 with --optimizer adam; seed 0), trained by the
// library's trainMlp on one backend, driven epoch by epoch over stdin and stdout in JSON lines,
// as bench/_mnist_peer_common.py drives the peers:
//
//   → {"ready": true, "peer", "version", "blas"}            once the data is loaded
//   ← epochs N                                              train N more epochs
//   → {"epochSeconds": [...], "peakRssMb"}                  their seconds (trainMlp's trainSeconds)
//   ← done                                                  (or the end of stdin)
//   → {"peer", "epochs", "loss", "accuracy", "peakRssMb"}   scored on the 5,000 validation images
//
// trainMlp is told the total number of epochs up front and waits for each command in its onEpoch
// callback (a blocking read of stdin), so the run is one ordinary trainMlp run.
//
//   deno run --allow-all bench/_mnist_epoch_ours.ts --backend openblas|wasm|js --batch B --epochs TOTAL
//     [--dense] [--cores 1|2] [--optimizer sgd|adam]
import { type BackendName, evaluate, getBackend, loadMnist, trainMlp } from "../lib/mod.ts";
import { BACKEND_NAMES } from "../lib/tensor/get_backend.ts";
import { fail, option, peakRssMb, readCommand, readEpochs, send } from "./_runner_protocol.ts";

/** The OpenBLAS this process has mapped: its build string and threads, or "" when none. */
function blasInfo(): string {
  const maps = Deno.readTextFileSync("/proc/self/maps").split("\n");
  const file = maps.map((line) => line.split(/\s+/).at(-1) ?? "").find((path) =>
    path.includes("openblas") && path.startsWith("/")
  );
  if (file === undefined) return "";
  const library = Deno.dlopen(file, {
    openblas_get_config: { parameters: [], result: "pointer" },
    openblas_get_num_threads: { parameters: [], result: "i32" },
  });
  const config = library.symbols.openblas_get_config();
  const text = config === null ? "OpenBLAS" : Deno.UnsafePointerView.getCString(config);
  return `${text}, threads ${library.symbols.openblas_get_num_threads()} (${file})`;
}

const name = option("--backend", "openblas");
if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
  fail(`expected --backend ${BACKEND_NAMES.join(" or ")}: ${name}`);
}
const dense = Deno.args.includes("--dense");
const cores = Number(option("--cores", "1"));
const batchSize = Number(option("--batch", "50"));
const totalEpochs = Number(option("--epochs", "1"));
const optimizer = option("--optimizer", "sgd");
if (optimizer !== "sgd" && optimizer !== "adam") {
  fail(`expected --optimizer sgd or adam: ${optimizer}`);
}
const backend = getBackend({ name: name as BackendName });
const peer = `ours (${backend.name}${dense ? ", dense" : ""}${cores > 1 ? `, ${cores} cores` : ""}${
  optimizer === "adam" ? ", Adam" : ""
})`;
const data = await loadMnist();
send({
  ready: true,
  peer,
  version: `Deno ${Deno.version.deno}`,
  blas: backend.name === "openblas" ? blasInfo() : "",
});

let asked = readEpochs(totalEpochs), done = 0, seconds: number[] = [];
const run = asked === 0 ? null : trainMlp(data, {
  lr: optimizer === "adam" ? 0.001 : 0.3, // each optimizer's usual rate on this network
  optimizer,
  seed: 0,
  epochs: totalEpochs,
  batchSize,
  backend,
  compact: !dense,
  cores,
  evaluateEachEpoch: false,
  onEpoch(record) {
    seconds.push(record.trainSeconds);
    done++;
    if (seconds.length < asked) return;
    send({ epochSeconds: seconds, peakRssMb: peakRssMb() });
    seconds = [];
    asked = done < totalEpochs ? readEpochs(totalEpochs - done) : 0;
    if (asked === 0 && done < totalEpochs) fail(`stopped after ${done} of ${totalEpochs} epochs`);
  },
});
if (run?.diverged) fail(`the run diverged: ${JSON.stringify(run.diverged)}`);
if (done === totalEpochs && readCommand() !== "done") fail("expected done after the last epoch");
const evaluation = run === null ? { loss: NaN, accuracy: NaN } : evaluate(run.mlp, data.eval);
send({ peer, epochs: done, ...evaluation, peakRssMb: peakRssMb() });
