import {
  assert,
  assertEquals,
  assertGreater,
  assertMatch,
  assertStringIncludes,
} from "@std/assert";
import { join } from "node:path";
import { loadGridResult } from "../../lib/experiment/results/load_grid_result.ts";
import { runGrid } from "../../lib/experiment/run/run_grid.ts";
import { writeMnistDir } from "../data/_idx_fixture.ts";
import { lastJson, runCli } from "./_run_cli.ts";

const QUICK = ["--limit", "400", "--hidden", "8"];

Deno.test("train --help prints the usage and exits 0", async () => {
  const output = await runCli("train", ["--help"]);
  assertEquals(output.code, 0);
  assertStringIncludes(output.stdout, "Usage: deno task train [options]");
  for (
    const flag of [
      "--lr",
      "--epochs",
      "--batch",
      "--hidden",
      "--activation",
      "--optimizer",
      "--init",
      "--momentum",
      "--schedule",
    ]
  ) {
    assertStringIncludes(output.stdout, flag);
  }
  for (const flag of ["--seed", "--final", "--data", "--backend", "--out"]) {
    assertStringIncludes(output.stdout, flag);
  }
});

Deno.test("train exits 2 with a usage message naming a bad option, before any work", async () => {
  const cases: [string[], string][] = [
    [["--bogus"], "Unknown option --bogus"],
    [["--lr"], "Missing value for --lr"],
    [["--lr", "--epochs", "1"], "Missing value for --lr"],
    [["--lr", "fast"], 'Invalid value for --lr: expected a decimal number but found "fast"'],
    [["--lr", "0"], "Invalid value for --lr: Expected lr to be a finite number greater than 0"],
    [
      ["--batch", "0"],
      "Invalid value for --batch: Expected batchSize to be an integer of at least 1",
    ],
    [
      ["--seed", "1.5"],
      "Invalid value for --seed: Expected seed to be a safe integer but found 1.5",
    ],
    [
      ["--momentum", "1"],
      "Invalid value for --momentum: Expected momentum to be from 0 to below 1",
    ],
    [["--schedule", "step"], "Invalid value for --schedule: Expected schedule to be one of"],
    [
      ["--hidden", "300,0"],
      "Invalid value for --hidden: Expected hidden to be a list of one or more integers of at least 1 but found [300, 0]",
    ],
    [["--hidden", "300,x"], 'Invalid value for --hidden: expected a decimal number but found "x"'],
    [
      ["--activation", "softplus"],
      "Invalid value for --activation: Expected activation to be one of sigmoid, tanh, relu but found softplus",
    ],
    [
      ["--optimizer", "rmsprop"],
      "Invalid value for --optimizer: Expected optimizer to be one of sgd, adam but found rmsprop",
    ],
    [
      ["--init", "zeros"],
      "Invalid value for --init: Expected init to be one of fanIn, glorot, he, seedReport, standardNormal but found zeros",
    ],
    [
      ["--optimizer", "adam", "--momentum", "0.9"],
      "Invalid value for --momentum: Expected momentum to be 0 with the adam optimizer",
    ],
    [
      ["--backend", "gpu"],
      'Invalid value for --backend: expected js, openblas, openblas-js, wasm or auto but found "gpu"',
    ],
    [
      ["--data", "/no/such/dir"],
      "Invalid value for --data: Cannot find the MNIST directory /no/such/dir",
    ],
    [
      ["--limit", "-3"],
      'Invalid value for --limit: expected an integer of at least 1 but found "-3"',
    ],
    [["--final=yes"], "Option --final takes no value"],
    [["0.1"], 'Unexpected argument "0.1"'],
  ];
  for (const [args, message] of cases) {
    const output = await runCli("train", args);
    assertEquals(output.code, 2, args.join(" "));
    assertStringIncludes(output.stderr, message);
    assertStringIncludes(output.stderr, "Usage: deno task train");
    assertEquals(output.stdout, "", args.join(" "));
  }
});

Deno.test("train prints a line per epoch, then the result as one JSON line", async () => {
  const output = await runCli("train", [...QUICK, "--epochs", "2", "--lr", "0.3", "--seed", "4"]);
  assertEquals(output.code, 0, output.stderr);
  assertEquals(output.lines.length, 3);
  assertMatch(output.lines[0], /^epoch 1\/2 .*validation loss \d+\.\d{4} .*validation accuracy/);
  assertMatch(output.lines[1], /^epoch 2\/2 /);
  const json = lastJson(output);
  assertEquals(json.status, "ok");
  assertEquals(json.split, "validation");
  assertEquals([json.epochs, json.lr, json.batchSize, json.seed], [2, 0.3, 50, 4]);
  assertEquals([json.trainSize, json.evalSize, json.divergedStep], [400, 400, null]);
  assertGreater(json.loss as number, 0);
  assert((json.accuracy as number) >= 0 && (json.accuracy as number) <= 1);
  assertGreater(json.seconds as number, 0);
});

Deno.test("train --hidden 300,100 --activation relu --optimizer adam trains two hidden layers with Adam", async () => {
  const output = await runCli("train", [
    "--limit",
    "400",
    "--hidden",
    "30,10",
    "--activation",
    "relu",
    "--optimizer",
    "adam",
    "--init",
    "he",
    "--lr",
    "0.003",
    "--batch",
    "20",
    "--epochs",
    "3",
  ]);
  assertEquals(output.code, 0, output.stderr);
  const json = lastJson(output);
  assertEquals(json.status, "ok");
  assertEquals([json.hidden, json.activation, json.optimizer, json.init], [
    [30, 10],
    "relu",
    "adam",
    "he",
  ]);
  // chance is 10%; measured 55% on these 400 images
  assertGreater(json.accuracy as number, 0.3);
});

Deno.test("train --final --data DIR trains on any directory of gzipped IDX files", async () => {
  using dir = writeMnistDir({ numTrain: 40, numTest: 10, side: 3, gzip: true, dotted: true });
  const output = await runCli("train", [
    "--final",
    "--data",
    dir.path,
    "--epochs",
    "1",
    "--batch",
    "8",
    "--hidden",
    "4",
    "--backend",
    "js",
  ]);
  assertEquals(output.code, 0, output.stderr);
  const json = lastJson(output);
  assertEquals([json.split, json.trainSize, json.evalSize, json.backend], ["test", 40, 10, "js"]);
  assertMatch(output.lines[0], /test loss .* test accuracy/);
});

Deno.test("train records a run at lr 1000 as diverged and exits normally", async () => {
  // batches of 2: 200 steps, enough for the divergence rule's running mean of 100 losses
  const output = await runCli("train", [...QUICK, "--lr", "1000", "--epochs", "1", "--batch", "2"]);
  assertEquals(output.code, 0, output.stderr);
  const json = lastJson(output);
  assertEquals(json.status, "diverged");
  assertEquals([json.loss, json.accuracy], [null, null]);
  assertGreater(json.divergedStep as number, 0);
  assertStringIncludes(output.stdout, `diverged at step ${json.divergedStep} (epoch 1)`);
});

Deno.test("train --out saves the run, and it reads back equal to the same run in process", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const out = join(dir, "run.parquet");
    const output = await runCli("train", [
      ...QUICK,
      "--epochs",
      "1",
      "--backend",
      "js",
      "--cores",
      "1", // the run in process below is on one core: the same sums, the same numbers
      "--out",
      out,
    ]);
    assertEquals(output.code, 0, output.stderr);
    assertEquals(lastJson(output).out, out);
    const saved = loadGridResult(out);
    assertEquals(saved.runs.getColumn("evalLoss").toArray(), [lastJson(output).loss]);
    const again = await runGrid({
      lrs: [0.1],
      epochs: 1,
      hidden: [8],
      trainLimit: 400,
      evalLimit: 400,
      backend: "js",
      workers: 1,
      progress: "none",
    });
    assert(saved.batches.frameEqual(again.batches));
    assert(saved.runs.drop("seconds").frameEqual(again.runs.drop("seconds")));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("train takes a run it trained before from the run store, and --no-cache trains it", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const args = [...QUICK, "--epochs", "2", "--lr", "0.2", "--seed", "9"];
    const env = { BACKPROP_CACHE: dir };
    const first = await runCli("train", args, env);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(lastJson(first).source, "trained");
    const second = await runCli("train", args, env);
    assertEquals(second.code, 0, second.stderr);
    assertEquals(lastJson(second).source, "run store");
    assertStringIncludes(second.stdout, "reused from the run store");
    // the same epochs, the same final numbers
    const numbers = (output: typeof first) =>
      output.lines.filter((l) => l.startsWith("epoch"))
        .map((l) => l.replace(/\s+[\d.]+ s$/, ""));
    assertEquals(numbers(second), numbers(first));
    assertEquals(lastJson(second).accuracy, lastJson(first).accuracy);
    const third = await runCli("train", [...args, "--no-cache"], env);
    assertEquals(lastJson(third).source, "trained");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("train --help lists every run option with a flag in RUN_OPTIONS, with its default", async () => {
  const { RUN_OPTIONS } = await import("../../lib/nn/run_options.ts");
  const output = await runCli("train", ["--help"]);
  const text = output.stdout.replace(/\n\s+/g, " "); // wrapped help lines joined
  for (const option of Object.values(RUN_OPTIONS)) {
    if (option.flag === null) continue;
    const flag = `--${option.flag} ${option.placeholder} `;
    assertStringIncludes(text, flag);
    const help = text.slice(text.indexOf(flag)).split(" --")[0];
    assertStringIncludes(help, `${option.help} (default ${[option.default].flat().join(",")})`);
  }
});
