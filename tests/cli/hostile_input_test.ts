// The CLI under hostile input: a catalogue of bad values and targets, each a clear error that
// names its option (exit 2) before any work and leaves every file as it was; a sweep killed
// with SIGKILL keeps its finished runs and --resume completes it; two writers of one --out.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadGridResult } from "../../lib/experiment/results/load_grid_result.ts";
import { cliProcess, runCli } from "./_run_cli.ts";

const QUICK = ["--hidden", "8", "--epochs", "1"];

Deno.test("train and sweep refuse hostile values and targets before any work, naming the option", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const notOurs = join(dir, "README.md");
    Deno.writeTextFileSync(notOurs, "# keep me\n");
    Deno.mkdirSync(join(dir, "folder"));
    const cases: [("train" | "sweep"), string[], string][] = [
      [
        "sweep",
        ["--lr", "0.1", "--seed", "0", "--out", "/etc/hostname/x.parquet"],
        "Invalid value for --out: Cannot write the results file /etc/hostname/x.parquet",
      ],
      [
        "train",
        ["--out", "/proc/x.parquet"],
        "Invalid value for --out: Cannot write the results file /proc/x.parquet",
      ],
      [
        "train",
        ["--out", notOurs],
        `Invalid value for --out: Cannot write the results file ${notOurs}: a file is there that is not a results file`,
      ],
      ["train", ["--out", join(dir, "folder")], "it is a folder"],
      ["train", ["--force"], "Option --force needs --out"],
      ["sweep", ["--resume"], "Option --resume needs --out"],
      [
        "train",
        ["--lr", "0x10"],
        'Invalid value for --lr: expected a decimal number but found "0x10"',
      ],
      [
        "train",
        ["--lr", "0o7"],
        'Invalid value for --lr: expected a decimal number but found "0o7"',
      ],
      [
        "train",
        ["--epochs", "Infinity"],
        'Invalid value for --epochs: expected a decimal number but found "Infinity"',
      ],
      [
        "train",
        ["--lr", "1e-320"],
        "Invalid value for --lr: Expected lr to be large enough not to round to 0 in float32",
      ],
      ["sweep", ["--lr", "0.1,0.1"], 'Invalid value for --lr: 0.1 is listed twice in "0.1,0.1"'],
      ["sweep", ["--seed", "0,1,0"], 'Invalid value for --seed: 0 is listed twice in "0,1,0"'],
      [
        "train",
        ["--batch", "100000", "--limit", "300"],
        "Invalid value for --batch: Expected batchSize to be at most the 300 training examples but found 100000",
      ],
      [
        "train",
        ["--epochs", "100000000", "--limit", "300"],
        "Invalid value for --epochs: Expected epochs to be at most",
      ],
      [
        "train",
        ["--hidden", "1000000000000"],
        "Invalid value for --hidden: Expected hidden to be small enough to fit: the 784-1000000000000-10 network needs",
      ],
    ];
    for (const [command, args, message] of cases) {
      const output = await runCli(command, args);
      assertEquals(output.code, 2, `${command} ${args.join(" ")}: ${output.stderr}`);
      assertStringIncludes(output.stderr, message, args.join(" "));
      assertEquals(output.stdout, "", args.join(" "));
    }
    assertEquals(Deno.readTextFileSync(notOurs), "# keep me\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a sweep killed with SIGKILL keeps every finished run, and --resume completes it", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const out = join(dir, "grid.parquet");
    const args = [
      "--lr",
      "0.1,0.3",
      "--seed",
      "0,1,2",
      ...QUICK,
      "--limit",
      "3000",
      "--workers",
      "1",
      "--out",
      out,
    ];
    const child = cliProcess("sweep", args, { stderr: "null" }).spawn();
    // kill it once two runs have been reported
    let text = "";
    const reader = child.stdout.getReader();
    while ((text.match(/^run /gm) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel();
    const reported = (text.match(/^run /gm) ?? []).length;
    const kept = loadGridResult(out).records.length;
    assert(kept >= reported && kept < 6, `reported ${reported}, kept ${kept}`);
    const resumed = await runCli("sweep", [...args, "--resume"]);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertEquals(resumed.lines.filter((line) => line.startsWith("run ")).length, 6 - kept);
    assertEquals(loadGridResult(out).records.map((r) => r.run), [0, 1, 2, 3, 4, 5]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a second command writing the same --out fails at once, and the first one's results stand", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const out = join(dir, "grid.parquet");
    const args = ["--lr", "0.1,0.2,0.3", "--seed", "0,1,2", "--hidden", "8", "--epochs", "3"];
    const first = cliProcess(
      "sweep",
      [...args, "--limit", "20000", "--workers", "1", "--out", out],
      { stderr: "null" },
    ).spawn();
    const reader = first.stdout.getReader();
    let text = "";
    while (!text.includes("run 1/9")) { // the first holds the file from its start on
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const second = await runCli("train", [...QUICK, "--limit", "300", "--out", out]);
    assertEquals(second.code, 2, second.stderr);
    assertStringIncludes(second.stderr, "another command is writing it");
    while (!(await reader.read()).done) { /* drain */ }
    assertEquals((await first.status).code, 0);
    assertEquals(loadGridResult(out).records.length, 9);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** The processes whose command line holds `text` (from /proc). */
function processesWith(text: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      if (Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(text)) {
        pids.push(Number(entry.name));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

Deno.test("killing deno task with SIGKILL stops the command it started", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const out = join(dir, "grid.parquet");
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const task = new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--quiet",
        "--cwd",
        root,
        "sweep",
        "--lr",
        "0.1,0.2,0.3",
        "--seed",
        "0,1,2",
        "--hidden",
        "8",
        "--epochs",
        "5",
        "--limit",
        "20000",
        "--workers",
        "1",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = task.stdout.getReader();
    let text = "";
    while (!text.includes("run 1/9")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    assertEquals(processesWith(out).filter((pid) => pid !== task.pid).length, 1); // the sweep
    task.kill("SIGKILL");
    await task.status;
    await reader.cancel();
    for (let i = 0; i < 40 && processesWith(out).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assertEquals(processesWith(out), [], "the sweep outlived its deno task");
    const kept = loadGridResult(out).records.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assertEquals(loadGridResult(out).records.length, kept); // nothing written later
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("without FFI, train runs on the wasm backend saying why, and --out fails before any work naming --allow-ffi", async () => {
  const train = fileURLToPath(new URL("../../cli/train.ts", import.meta.url));
  const run = async (...extra: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--allow-read",
        "--allow-write",
        "--allow-sys",
        "--allow-env",
        train,
        ...QUICK,
        "--limit",
        "300",
        ...extra,
      ],
      env: { NO_COLOR: "1", BACKPROP_BACKEND: "auto" },
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
  };
  const plain = await run();
  assertEquals(plain.code, 0, plain.stderr);
  assertStringIncludes(
    plain.stderr,
    "Using the wasm backend: openblas: OpenBLAS is not available: FFI is not permitted",
  );
  assertStringIncludes(plain.stdout.trim().split("\n").at(-1)!, '"backend":"wasm"');
  const saving = await run("--out", join(Deno.makeTempDirSync(), "x.parquet"));
  assertEquals(saving.code, 2);
  assertStringIncludes(saving.stderr, "Invalid value for --out: Cannot load polars");
  assertStringIncludes(saving.stderr, "--allow-ffi");
  assert(!saving.stdout.includes("epoch 1/1"), "it trained before refusing");
});
