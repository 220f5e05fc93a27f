import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { loadGridResult } from "../../lib/experiment/results/load_grid_result.ts";
import { lastJson, runCli } from "./_run_cli.ts";

Deno.test("sweep exits 2 with a usage message naming a bad option, before any work", async () => {
  const cases: [string[], string][] = [
    [["--lr", "0.1,abc"], 'Invalid value for --lr: expected a decimal number but found "abc"'],
    [
      ["--lr", "0.1,-2"],
      "Invalid value for --lr: Expected lr to be a finite number greater than 0",
    ],
    [["--seed"], "Missing value for --seed"],
    [
      ["--workers", "0"],
      'Invalid value for --workers: expected an integer of at least 1 but found "0"',
    ],
    [["--threads", "2"], "Unknown option --threads"],
  ];
  for (const [args, message] of cases) {
    const output = await runCli("sweep", args);
    assertEquals(output.code, 2, args.join(" "));
    assertStringIncludes(output.stderr, message);
    assertStringIncludes(output.stderr, "Usage: deno task sweep");
    assertEquals(output.stdout, "");
  }
});

Deno.test("sweep runs learning rates × seeds, counts diverged runs and saves one parquet file", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_cli_" });
  try {
    const out = join(dir, "results", "sweep.parquet");
    const output = await runCli("sweep", [
      "--lr",
      "0.3,1000",
      "--seed",
      "0,1",
      "--epochs",
      "1",
      "--limit",
      "300",
      "--batch",
      "2",
      "--hidden",
      "8",
      "--out",
      out,
    ]);
    assertEquals(output.code, 0, output.stderr);
    const json = lastJson(output);
    assertEquals([json.runs, json.ok, json.diverged, json.out], [4, 2, 2, out]);
    assertEquals(json.lrs, [0.3, 1000]);
    assertEquals(json.seeds, [0, 1]);
    const summary = json.summary as Record<string, unknown>[];
    assertEquals(summary.map((row) => [row.lr, row.runs, row.diverged]), [[0.3, 2, 0], [
      1000,
      2,
      2,
    ]]);
    assertEquals(summary[1].loss, null);
    assertStringIncludes(output.stdout, "lr 1000: diverged in every run (2)");
    const saved = loadGridResult(out);
    assertEquals(saved.runs.getColumn("status").toArray(), ["ok", "ok", "diverged", "diverged"]);
    assertEquals(saved.config.workers, json.workers);
    assert((summary[0].loss as number) > 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
