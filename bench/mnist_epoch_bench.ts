// MNIST epochs (55,000 images, 784-300-10 sigmoid/softmax, plain SGD at lr 0.3, seed 0) for ours
// on OpenBLAS on two cores (the hidden units split, lib/nn/_two_core.ts) and on one, ours on
// OpenBLAS without column compaction (dense), ours on the wasm backend (no native library) on two
// cores and one, numpy (bench/mnist_numpy.py), PyTorch (bench/mnist_torch.py) and ours on the js
// backend, each in its own process, at each batch size asked for. The machine drifts by 20–40% over minutes, so the runners take turns:
// in each of R rounds every runner trains E more epochs, one runner at a time, the order rotated
// by one each round (A B C, B C A, C A B, …). Each round's seconds per epoch are divided by
// numpy's in the same round; the table gives the median of those ratios, the median seconds per
// epoch and each process's peak resident memory, next to the issue's targets (marked, never
// enforced).
//
//   deno task bench:mnist [--rounds 5] [--epochs 1] [--batch 50,10] [--before REV]
//                         [--runners openblas2,openblas,openblas-adam,dense,wasm2,wasm,wasm-adam,
//                                    numpy,torch,js]
//
// Adam beside SGD: openblas-adam and wasm-adam train the same network with Adam (lr 0.001) on one
// core (the two-core split is SGD's only), taking their turns with the others; their rows add
// Adam/SGD, the median over the rounds of the Adam epoch's seconds ÷ the SGD epoch's on the same
// backend and batch in the same round (issue #20's target: ≤ 1.5×). js-adam (Adam on the slow js
// backend) runs only when named in --runners.
//
// Before and after: --before REV also runs each of our SGD runners named (openblas2, openblas,
// dense, wasm, wasm2, js) from the project at commit REV (git archive into build/bench-before/,
// its wasm kernels built there), in the same rotation; each of today's rows then shows ÷ before,
// the median over the rounds of its s/epoch ÷ the older one's in the same round.
//
// One more runner, only when named in --runners: tfjs-wasm, TensorFlow.js 4.22 on its wasm
// backend (SIMD, one thread) in Deno (bench/mnist_tfjs_wasm.ts, its peak memory from VmHWM). It
// is slow, 13–16 s an epoch at batch 50 (about 13× numpy) and about 18 s at batch 10, so it is
// left out of the default list: e.g. --runners wasm,numpy,tfjs-wasm --rounds 1 --batch 50.
//
// Every runner is started once per batch size and kept alive: it loads the data, says it is
// ready, then trains when told to over stdin ("epochs N") and answers with the seconds of each
// epoch measured inside the process around the epoch's loop (shuffle included; startup, data
// loading and the final evaluation excluded). Ours is the library's trainMlp, its onEpoch callback
// waiting for the next command (bench/_mnist_epoch_ours.ts); the peers share
// bench/_mnist_peer_common.py. Only one runner works at a time; the others wait on stdin.
// Installs python3-numpy and python3-torch if missing (bench/install_peers.sh, run by the task).
import { parseArgs } from "node:util";
import { loadAverage, machine } from "./_machine.ts";
import { fileURLToPath } from "node:url";
import { loadMnist, mnistDataDir } from "../lib/mod.ts";
import { type EpochLimit, epochLimit } from "./_epoch_limit.ts";

const TRAIN_SIZE = 55_000;
/** Pause before each runner's turn, so that the previous runner's BLAS threads are asleep. */
const SETTLE_MS = 250;
/** A target for seconds per epoch ÷ numpy's. */
interface RatioTarget {
  target: number;
  stretch?: number;
}
/** The issues' ratio targets, by runner and batch size: OpenBLAS (#12) and wasm (#13). */
const RATIO_TARGETS: Partial<Record<string, Record<number, RatioTarget>>> = {
  openblas: { 50: { target: 0.5, stretch: 0.35 }, 10: { target: 0.6 } },
  openblas2: { 50: { target: 0.5, stretch: 0.35 }, 10: { target: 0.6 } },
  wasm: { 50: { target: 1.2, stretch: 1.0 } },
  wasm2: { 50: { target: 0.7 } },
};
/** The wasm backend's target against TensorFlow.js's: at least this many times faster. */
const TFJS_SPEEDUP_TARGET = 10;
/** The issue's target for the peak resident memory of our runs, MB. */
const PEAK_MB_TARGET = 400;
/** Issue #20's target for an Adam epoch's seconds ÷ an SGD epoch's, same backend and batch. */
const ADAM_SGD_TARGET = 1.5;

const here = fileURLToPath(new URL(".", import.meta.url));
const PYTHON = "/usr/bin/python3";

// ---------------------------------------------------------------------------------------------
// runners

/** How to start a runner for a batch size and a total number of epochs. */
interface RunnerSpec {
  /** The process's own name for itself, as printed. */
  label: string;
  /** Ours (a memory target applies). */
  ours: boolean;
  /** For an Adam runner: the runner training by SGD on the same backend (for Adam/SGD). */
  sgdTwin?: RunnerName;
  command(batch: number, totalEpochs: number, dataDir: string): { cmd: string; args: string[] };
}

function ours(
  backend: string,
  dense: boolean,
  cores = 1,
  adam?: { sgdTwin: RunnerName },
  before?: { root: string; rev: string },
): RunnerSpec {
  const root = before?.root ?? `${here}..`;
  return {
    label: `ours (${backend}${dense ? ", dense" : ""}${cores > 1 ? `, ${cores} cores` : ""}${
      adam ? ", Adam" : ""
    })${before ? ` @${before.rev}` : ""}`,
    ours: true,
    ...adam,
    command: (batch, totalEpochs) => ({
      cmd: Deno.execPath(),
      args: [
        "run",
        "--allow-all",
        `--config=${root}/deno.json`,
        `${root}/bench/_mnist_epoch_ours.ts`,
        ...["--backend", backend, "--batch", String(batch), "--epochs", String(totalEpochs)],
        ...(dense ? ["--dense"] : []),
        ...["--cores", String(cores)],
        ...(adam ? ["--optimizer", "adam"] : []),
      ],
    }),
  };
}

function peer(label: string, script: string): RunnerSpec {
  return {
    label,
    ours: false,
    command: (batch, _totalEpochs, dataDir) => ({
      cmd: PYTHON,
      args: [`${here}${script}`, "--serve", "--data", dataDir, "--batch", String(batch)],
    }),
  };
}

/** TensorFlow.js on its wasm backend, in Deno. */
const tfjsWasm: RunnerSpec = {
  label: "TensorFlow.js (wasm)",
  ours: false,
  command: (batch) => ({
    cmd: Deno.execPath(),
    args: [
      ...["run", "--allow-all", `--config=${here}../deno.json`],
      ...[`${here}mnist_tfjs_wasm.ts`, "--batch", String(batch)],
    ],
  }),
};

/** A runner's name: one of RUNNERS', or with --before REV, `<one of ours>@REV`. */
type RunnerName = string;

const RUNNERS: Record<RunnerName, RunnerSpec> = {
  openblas2: ours("openblas", false, 2),
  openblas: ours("openblas", false),
  "openblas-adam": ours("openblas", false, 1, { sgdTwin: "openblas" }),
  dense: ours("openblas", true),
  numpy: peer("numpy", "mnist_numpy.py"),
  torch: peer("pytorch", "mnist_torch.py"),
  wasm: ours("wasm", false),
  "wasm-adam": ours("wasm", false, 1, { sgdTwin: "wasm" }),
  wasm2: ours("wasm", false, 2),
  js: ours("js", false),
  "js-adam": ours("js", false, 1, { sgdTwin: "js" }),
  "tfjs-wasm": tfjsWasm,
};
const RUNNER_NAMES = Object.keys(RUNNERS) as RunnerName[];
/** The runners of a run without --runners: all but the slow tfjs-wasm and js-adam. */
const DEFAULT_RUNNERS = RUNNER_NAMES.filter((name) => name !== "tfjs-wasm" && name !== "js-adam");
/** Our SGD runners, by their arguments to ours() (the ones --before runs at an older commit too). */
const OURS_SGD: Record<string, [string, boolean, number]> = {
  openblas2: ["openblas", false, 2],
  openblas: ["openblas", false, 1],
  dense: ["openblas", true, 1],
  wasm: ["wasm", false, 1],
  wasm2: ["wasm", false, 2],
  js: ["js", false, 1],
};

/**
 * The project at an older commit, in build/bench-before/<commit>/ (`git archive`, then its wasm
 * kernels built), for runners that take turns with today's.
 *
 * @param rev A commit, e.g. HEAD~1.
 * @returns Its short hash and its root.
 */
function projectAt(rev: string): { rev: string; root: string } {
  const git = (...args: string[]) => {
    const out = new Deno.Command("git", { args, cwd: `${here}..` }).outputSync();
    if (!out.success) {
      usageError(`git ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    return new TextDecoder().decode(out.stdout).trim();
  };
  const short = git("rev-parse", "--short", `${rev}^{commit}`);
  const root = `${here}../build/bench-before/${short}`;
  try {
    Deno.statSync(`${root}/deno.json`);
  } catch {
    Deno.mkdirSync(root, { recursive: true });
    const archive = new Deno.Command("bash", {
      args: ["-c", `git archive ${short} | tar -x -C "${root}"`],
      cwd: `${here}..`,
    }).outputSync();
    if (!archive.success) {
      usageError(`could not extract ${short}: ${new TextDecoder().decode(archive.stderr)}`);
    }
  }
  const build = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "scripts/build_wasm.ts"],
    cwd: root,
  }).outputSync();
  if (!build.success) {
    usageError(
      `could not build ${short}'s wasm kernels: ${new TextDecoder().decode(build.stderr)}`,
    );
  }
  return { rev: short, root };
}

/** A message of a runner: one JSON line on its stdout. */
interface Message {
  ready?: boolean;
  peer?: string;
  version?: string;
  blas?: string;
  epochSeconds?: number[];
  peakRssMb?: number;
  accuracy?: number;
}

/** A runner's process, driven over stdin and stdout. */
class Runner {
  readonly name: RunnerName;
  readonly spec: RunnerSpec;
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #lines: AsyncGenerator<string>;
  #stderr: Promise<string>;

  constructor(name: RunnerName, batch: number, totalEpochs: number, dataDir: string) {
    this.name = name;
    this.spec = RUNNERS[name];
    const { cmd, args } = this.spec.command(batch, totalEpochs, dataDir);
    this.#child = new Deno.Command(cmd, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stdin = this.#child.stdin.getWriter();
    this.#lines = lines(this.#child.stdout);
    this.#stderr = new Response(this.#child.stderr).text();
  }

  /** The next JSON message; throws with the runner's stderr when it ends instead. */
  async receive(): Promise<Message> {
    for (;;) {
      const next = await this.#lines.next();
      if (next.done) {
        const status = await this.#child.status;
        throw new Error(
          `${this.spec.label} ended (exit code ${status.code}) without answering:\n${await this
            .#stderr}`,
        );
      }
      if (next.value.startsWith("{")) return JSON.parse(next.value);
    }
  }

  async send(command: string): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(`${command}\n`));
  }

  /** Trains `count` more epochs; their seconds and the process's peak memory so far. */
  async epochs(count: number): Promise<{ epochSeconds: number[]; peakRssMb: number }> {
    await this.send(`epochs ${count}`);
    const { epochSeconds, peakRssMb } = await this.receive();
    if (epochSeconds?.length !== count || peakRssMb === undefined) {
      throw new Error(`${this.spec.label} answered epochs ${count} with ${epochSeconds}`);
    }
    return { epochSeconds, peakRssMb };
  }

  /** Ends training: the final message (validation accuracy) once the process has exited. */
  async finish(): Promise<Message> {
    await this.send("done");
    await this.#stdin.close();
    const last = await this.receive();
    const status = await this.#child.status;
    if (!status.success) {
      throw new Error(`${this.spec.label} failed (exit code ${status.code}):\n${await this
        .#stderr}`);
    }
    return last;
  }

  kill(): void {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // already exited
    }
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      yield buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
    }
  }
  if (buffer !== "") yield buffer;
}

// ---------------------------------------------------------------------------------------------
// options

interface BenchOptions {
  rounds: number;
  epochs: number;
  batches: number[];
  runners: RunnerName[];
  /** The older commit our SGD runners also run at, or null. */
  before: string | null;
}

const USAGE = "usage: deno task bench:mnist [--rounds 5] [--epochs 1] [--batch 50,10] " +
  `[--runners ${RUNNER_NAMES.join(",")}] [--before REV]`;

function usageError(message: string): never {
  console.error(`bench:mnist: ${message}\n${USAGE}`);
  Deno.exit(2);
}

function positiveInteger(option: string, text: string, max = Infinity): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) {
    const range = max === Infinity ? "of at least 1" : `from 1 to ${max}`;
    usageError(`Expected ${option} to be an integer ${range} but found "${text}"`);
  }
  return value;
}

function list(option: string, text: string): string[] {
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    usageError(`Expected ${option} to be a comma-separated list but found "${text}"`);
  }
  const repeated = items.find((item, i) => items.indexOf(item) !== i);
  if (repeated !== undefined) usageError(`Expected ${option} to name "${repeated}" once`);
  return items;
}

function parseOptions(args: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        rounds: { type: "string", default: "5" },
        epochs: { type: "string", default: "1" },
        batch: { type: "string", default: "50,10" },
        runners: { type: "string", default: DEFAULT_RUNNERS.join(",") },
        before: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const runners = list("--runners", values.runners).map((name) => {
    if (!(RUNNER_NAMES as string[]).includes(name)) {
      usageError(`Expected --runners to name only ${RUNNER_NAMES.join(", ")} but found "${name}"`);
    }
    return name as RunnerName;
  });
  if (!runners.includes("numpy")) {
    usageError(
      `Expected --runners to include numpy (the ratios' reference) but found "${values.runners}"`,
    );
  }
  let before: string | null = null;
  if (values.before !== undefined) {
    const at = projectAt(values.before);
    before = at.rev;
    for (const name of [...runners]) {
      const args = OURS_SGD[name];
      if (args === undefined) continue;
      RUNNERS[`${name}@${at.rev}`] = ours(...args, undefined, at);
      runners.splice(runners.indexOf(name) + 1, 0, `${name}@${at.rev}`);
    }
  }
  return {
    rounds: positiveInteger("--rounds", values.rounds),
    epochs: positiveInteger("--epochs", values.epochs),
    batches: list("--batch", values.batch).map((b) => positiveInteger("--batch", b, TRAIN_SIZE)),
    runners,
    before,
  };
}

// ---------------------------------------------------------------------------------------------
// statistics and formats

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function mark(value: number, limit: number): string {
  return value <= limit ? "met" : "NOT met";
}

/**
 * The targets that apply to a runner at a batch size, each marked met or NOT met; `tfjs` is
 * TensorFlow.js's median seconds per epoch in the same run, when it ran.
 */
function targets(row: Row, ratio: number, tfjs: number | undefined): string {
  const marks: string[] = [];
  const goal = RATIO_TARGETS[row.name]?.[row.batch];
  if (goal !== undefined) {
    let text = `≤ ${goal.target.toFixed(2)}× ${mark(ratio, goal.target)}`;
    if (goal.stretch !== undefined) {
      text += ` (stretch ${goal.stretch.toFixed(2)}× ${mark(ratio, goal.stretch)})`;
    }
    marks.push(text);
  }
  if (row.name.startsWith("wasm") && tfjs !== undefined) {
    const speedup = tfjs / median(row.seconds);
    const met = speedup >= TFJS_SPEEDUP_TARGET ? "met" : "NOT met";
    marks.push(`${speedup.toFixed(1)}× TensorFlow.js (≥ ${TFJS_SPEEDUP_TARGET}× ${met})`);
  }
  if (row.adamRatios.length > 0) {
    const adam = median(row.adamRatios);
    marks.push(`Adam ≤ ${ADAM_SGD_TARGET.toFixed(2)}× SGD ${mark(adam, ADAM_SGD_TARGET)}`);
  }
  if (RUNNERS[row.name].ours) {
    marks.push(`≤ ${PEAK_MB_TARGET} MB ${mark(row.peakMb, PEAK_MB_TARGET)}`);
  }
  return marks.join(", ");
}

// ---------------------------------------------------------------------------------------------
// the benchmark

/** One row of the results table: a runner at a batch size. */
interface Row {
  batch: number;
  name: RunnerName;
  ratios: number[];
  seconds: number[];
  /** An Adam runner's seconds ÷ its SGD twin's, round by round (empty otherwise). */
  adamRatios: number[];
  /** With --before: the runner's seconds ÷ its own at the older commit, round by round. */
  beforeRatios: number[];
  peakMb: number;
  accuracy: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** R rounds at one batch size; the rows of the runners, in the order asked for. */
async function benchBatch(
  batch: number,
  options: BenchOptions,
  dataDir: string,
  described: Set<RunnerName>,
): Promise<Row[]> {
  const { rounds, epochs, runners: names } = options;
  const steps = Math.ceil(TRAIN_SIZE / batch);
  console.log(
    `\nbatch ${batch} (${
      steps.toLocaleString("en-US")
    } steps per epoch): starting ${names.length} runners`,
  );
  const runners = names.map((name) => new Runner(name, batch, rounds * epochs, dataDir));
  try {
    const ready = await Promise.all(runners.map((runner) => runner.receive()));
    for (const [i, message] of ready.entries()) {
      if (!message.ready) throw new Error(`${runners[i].spec.label} did not say it was ready`);
      if (described.has(runners[i].name)) continue;
      described.add(runners[i].name);
      const details = [message.version, message.blas || "no BLAS"].filter(Boolean).join("; ");
      console.log(`  ${pad(runners[i].spec.label, 32)} ${details}`);
    }
    const seconds = new Map(names.map((name) => [name, [] as number[]]));
    const ratios = new Map(names.map((name) => [name, [] as number[]]));
    const adamRatios = new Map(names.map((name) => [name, [] as number[]]));
    const beforeRatios = new Map(names.map((name) => [name, [] as number[]]));
    const peaks = new Map(names.map((name) => [name, 0]));
    for (let round = 0; round < rounds; round++) {
      const order = runners.map((_, i) => runners[(i + round) % runners.length]);
      const perEpoch = new Map<RunnerName, number>();
      for (const runner of order) {
        await sleep(SETTLE_MS);
        const answer = await runner.epochs(epochs);
        perEpoch.set(runner.name, sum(answer.epochSeconds) / epochs);
        seconds.get(runner.name)!.push(sum(answer.epochSeconds) / epochs);
        peaks.set(runner.name, Math.max(peaks.get(runner.name)!, answer.peakRssMb));
      }
      const reference = perEpoch.get("numpy")!;
      const parts = order.map((runner) => {
        const s = perEpoch.get(runner.name)!;
        ratios.get(runner.name)!.push(s / reference);
        const twin = runner.spec.sgdTwin && perEpoch.get(runner.spec.sgdTwin);
        if (twin) adamRatios.get(runner.name)!.push(s / twin);
        const adam = twin ? ` (${(s / twin).toFixed(2)}× SGD)` : "";
        const old = options.before && perEpoch.get(`${runner.name}@${options.before}`);
        if (old) beforeRatios.get(runner.name)!.push(s / old);
        return `${runner.name} ${s.toFixed(2)} s ${(s / reference).toFixed(2)}×${adam}`;
      });
      console.log(`  round ${round + 1}/${rounds}: ${parts.join(" · ")}`);
    }
    const finals = await Promise.all(runners.map((runner) => runner.finish()));
    return names.map((name, i) => ({
      batch,
      name,
      ratios: ratios.get(name)!,
      seconds: seconds.get(name)!,
      adamRatios: adamRatios.get(name)!,
      beforeRatios: beforeRatios.get(name)!,
      peakMb: peaks.get(name)!,
      accuracy: finals[i].accuracy ?? NaN,
    }));
  } finally {
    for (const runner of runners) runner.kill();
  }
}

/** What a runner computes its first layer as: the peers and --dense densely, ours compacted. */
function formulationOf(name: RunnerName): "dense" | "compacted" {
  return name.split("@")[0] === "dense" || !RUNNERS[name].ours ? "dense" : "compacted";
}

/** The limit of each batch size: the work of each formulation, and its floor on every core. */
function printLimits(limits: Map<number, EpochLimit>): void {
  const cores = navigator.hardwareConcurrency;
  for (const [batch, limit] of limits) {
    console.log(
      `\nthe limit at batch ${batch}: an epoch's work (GFLOP) in each formulation of the first ` +
        `layer, and the seconds it takes at the peak, ${limit.peakGflops.toFixed(1)} GFLOP/s ` +
        `per core (${limit.peakHow}), on 1 core and on ${cores}:`,
    );
    for (const { name, gflop, inputs } of limit.formulations) {
      const floor = (c: number) => (gflop / (limit.peakGflops * c)).toFixed(3);
      console.log(
        `  ${pad(name, 10)} ${pad(`${gflop.toFixed(1)} GFLOP`, 12)} ${
          pad(`(${inputs.toFixed(0)} of 784 inputs per image)`, 32)
        } floor ${floor(1)} s on 1 core, ${floor(cores)} s on ${cores}`,
      );
    }
  }
}

/** A runner's seconds per epoch ÷ the floor of its formulation on every core. */
function floorRatio(row: Row, limits: Map<number, EpochLimit>): string {
  const limit = limits.get(row.batch);
  const work = limit?.formulations.find((f) => f.name === formulationOf(row.name));
  if (limit === undefined || work === undefined || !Number.isFinite(limit.peakGflops)) return "–";
  const floor = work.gflop / (limit.peakGflops * navigator.hardwareConcurrency);
  return `${(median(row.seconds) / floor).toFixed(1)}×`;
}

function printTable(rows: Row[], options: BenchOptions, limits: Map<number, EpochLimit>): void {
  const widths = [6, 42, 8, 13, 9, 9, 9, 9, 8, 8];
  const header = [
    "batch",
    "runner",
    "× numpy",
    "(min–max)",
    "s/epoch",
    "× floor",
    "Adam/SGD",
    "÷ before",
    "peak MB",
    "val acc",
  ];
  console.log("");
  console.log(`${header.map((h, i) => pad(h, widths[i])).join("")}targets`);
  for (const row of rows) {
    const ratio = median(row.ratios);
    const tfjs = rows.find((r) => r.batch === row.batch && r.name === "tfjs-wasm");
    const cells = [
      String(row.batch),
      RUNNERS[row.name].label,
      ratio.toFixed(2),
      `${Math.min(...row.ratios).toFixed(2)}–${Math.max(...row.ratios).toFixed(2)}`,
      median(row.seconds).toFixed(3),
      floorRatio(row, limits),
      row.adamRatios.length > 0 ? `${median(row.adamRatios).toFixed(2)}×` : "",
      row.beforeRatios.length > 0 ? `${median(row.beforeRatios).toFixed(2)}×` : "",
      row.peakMb.toFixed(0),
      Number.isFinite(row.accuracy) ? `${(100 * row.accuracy).toFixed(1)}%` : "–",
    ];
    const line = cells.map((c, i) => pad(c, widths[i])).join("") +
      targets(row, ratio, tfjs && median(tfjs.seconds));
    console.log(line.trimEnd());
  }
  const { rounds, epochs } = options;
  console.log(
    `\n× numpy: median over the ${rounds} rounds of (s/epoch ÷ numpy's s/epoch in the same round); ` +
      `s/epoch: median over the rounds of each round's ${epochs}-epoch mean; Adam/SGD: median ` +
      "over the rounds of an Adam runner's s/epoch ÷ the SGD runner's on the same backend in " +
      "the same round; ÷ before (with --before REV): median over the rounds of the runner's " +
      "s/epoch ÷ its own at REV (the row marked @REV) in the same round; × floor: s/epoch ÷ " +
      "the limit's floor on every core for the runner's formulation (the peers and ours " +
      "dense: dense; ours: compacted); peak MB: the " +
      "process's peak resident memory after its last timed epoch (VmHWM for ours, ru_maxrss " +
      "for the peers); val acc: on the 5,000 validation images after all " +
      `${rounds * epochs} epochs (a sanity check)`,
  );
  const goals = Object.entries(RATIO_TARGETS).map(([name, byBatch]) =>
    `${name} ` +
    Object.entries(byBatch!).reverse().map(([batch, goal]) =>
      `≤ ${goal.target.toFixed(2)}× numpy at batch ${batch}` +
      (goal.stretch === undefined ? "" : ` (stretch ${goal.stretch.toFixed(2)}×)`)
    ).join(", ")
  );
  console.log(
    `targets (the issues'; marked, not enforced): ${goals.join("; ")}; wasm ≥ ` +
      `${TFJS_SPEEDUP_TARGET}× faster than TensorFlow.js (wasm) when it runs; peak resident ` +
      `memory of ours ≤ ${PEAK_MB_TARGET} MB; an Adam epoch ≤ ${ADAM_SGD_TARGET}× an SGD epoch ` +
      "on the same backend and batch (#20)",
  );
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  const dataDir = await mnistDataDir();
  const { rounds, epochs, batches, runners } = options;
  console.log(
    `MNIST epochs, interleaved: ${TRAIN_SIZE.toLocaleString("en-US")} images, 784-300-10 ` +
      `sigmoid/softmax, plain SGD lr 0.3 (the Adam runners: Adam lr 0.001), seed 0; batch ${
        batches.join(", ")
      }`,
  );
  console.log(
    `${rounds} rounds × ${epochs} epoch${epochs === 1 ? "" : "s"} per runner, one runner at a ` +
      "time, the order rotated each round; seconds measured inside each process around its " +
      "epochs (startup, data loading, evaluation excluded)",
  );
  for (const line of machine()) console.log(line);
  const train = (await loadMnist({ dir: dataDir, final: false })).train;
  const limits = new Map(batches.map((batch) => [batch, epochLimit(train, batch)]));
  printLimits(limits);
  const described = new Set<RunnerName>();
  const rows: Row[] = [];
  for (const batch of batches) rows.push(...await benchBatch(batch, options, dataDir, described));
  printTable(rows, options, limits);
  if (!runners.includes("js")) console.log("ours (js) not run: --runners leaves it out");
  for (const name of runners) {
    const twin = RUNNERS[name].sgdTwin;
    if (twin !== undefined && !runners.includes(twin)) {
      console.log(`${name}: no Adam/SGD ratio, --runners leaves out ${twin}`);
    }
  }
  console.log(`load average at the end: ${loadAverage()}`);
}

await main();
