/**
 * Counts misplaced outputs over many Kernel → Restart & Run All in the browser, per notebook:
 *
 *     deno run -A tests/browser/measure.ts --runs 20 [--notebooks 01,03] [--full [--committed]]
 *
 * Each notebook gets its own notebook server (scripts/notebook.sh) and Chromium, and N runs in a
 * row; every run's code cells are compared by output kind and order with a headless run of the
 * same notebook in the same mode (`run_notebooks.py execute [--quick]`, one cell at a time).
 * Prints one table row per notebook. `--full` runs without BACKPROP_QUICK: full size, several
 * minutes a run for 05, which then writes its grids to data/results/ as the report command does
 * (the command lists the files it changed). `--committed` (with `--full`) compares with the
 * outputs committed in the notebooks instead of a headless full run: quicker, but a cell
 * committed without outputs then counts as misplaced.
 *
 * @module
 */

import { describeProblems } from "./_describe_problems.ts";
import { findNotebook, notebookFiles, ROOT, sha256 } from "./_notebooks.ts";
import { type BrowserRunReport, runInBrowser } from "./_run_in_browser.ts";

const USAGE =
  "usage: deno run -A tests/browser/measure.ts [--runs N] [--notebooks 01,03] [--full [--committed]]";

interface MeasureOptions {
  runs: number;
  notebooks: string[];
  full: boolean;
  committed: boolean;
}

function parseOptions(args: string[]): MeasureOptions {
  const options: MeasureOptions = { runs: 20, notebooks: [], full: false, committed: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = () => inline ?? args[++i];
    if (flag === "--runs") {
      const runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1) {
        throw new RangeError(`Expected --runs to be an integer of 1 or more but found ${runs}`);
      }
      options.runs = runs;
    } else if (flag === "--notebooks") {
      options.notebooks = (value() ?? "").split(",").filter((name) => name !== "");
    } else if (flag === "--full") {
      options.full = true;
    } else if (flag === "--committed") {
      options.committed = true;
    } else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      Deno.exit(0);
    } else {
      throw new SyntaxError(`Unknown option ${args[i]}\n${USAGE}`);
    }
  }
  if (options.committed && !options.full) {
    throw new SyntaxError(
      `--committed goes with --full: the committed outputs are full-size\n${USAGE}`,
    );
  }
  return options;
}

function kernelCommand(): string {
  try {
    const spec = JSON.parse(
      Deno.readTextFileSync(`${ROOT}.jupyter/share/jupyter/kernels/backprop/kernel.json`),
    ) as { argv: string[] };
    return spec.argv.map((arg) => arg.replace(ROOT, "")).join(" ");
  } catch {
    return "(no kernelspec yet: scripts/notebook.sh will write it)";
  }
}

async function resultChecksums(): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  try {
    for (const entry of Deno.readDirSync(`${ROOT}data/results`)) {
      if (entry.isFile) {
        const path = `${ROOT}data/results/${entry.name}`;
        sums.set(path, await sha256(path));
      }
    }
  } catch {
    // no results folder
  }
  return sums;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd())
    .join("\n");
}

async function main(): Promise<number> {
  let options: MeasureOptions;
  try {
    options = parseOptions(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const notebooks = options.notebooks.length > 0
    ? options.notebooks.map(findNotebook)
    : notebookFiles();
  const mode = options.full ? "full" : "quick";
  console.error(`measure: kernel ${kernelCommand()}`);
  console.error(
    `measure: ${options.runs} × Restart & Run All, ${mode} mode, on ` +
      notebooks.map((nb) => nb.short).join(", ") +
      `; reference: ${options.committed ? "the committed outputs" : `a headless ${mode} run`}`,
  );
  if (options.full && notebooks.some((nb) => nb.short === "05")) {
    console.error(
      "measure: a full run of 05 rewrites its grids in data/results/, as the report does",
    );
  }
  const resultsBefore = await resultChecksums();
  const reports: BrowserRunReport[] = [];
  for (const notebook of notebooks) {
    const started = performance.now();
    const report = await runInBrowser(notebook, {
      runs: options.runs,
      quick: !options.full,
      reference: options.committed ? "committed" : "headless",
      edit: false,
      onRun: (run) =>
        console.error(
          `measure: ${notebook.short} run ${run.run}/${options.runs}: ${
            run.seconds.toFixed(1)
          } s, ` +
            `${run.misplacements.length} misplaced cells` +
            (run.misplacements.length > 0
              ? ` (${run.misplacements.map((m) => m.codeCell).join(", ")})`
              : "") +
            `, ${run.errors.length} error outputs`,
        ),
    });
    console.error(
      `measure: ${notebook.short} done in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    reports.push(report);
  }

  const rows = [[
    "notebook",
    "mode",
    "runs",
    "misplaced cells per run",
    "total misplacements",
    "error outputs",
    "seconds per run",
  ]];
  for (const report of reports) {
    const misplaced = report.runs.map((run) => run.misplacements.length);
    const seconds = report.runs.map((run) => run.seconds);
    rows.push([
      report.notebook.name,
      mode,
      String(report.runs.length),
      misplaced.join(" ") || "-",
      String(misplaced.reduce((s, n) => s + n, 0)),
      String(report.runs.reduce((s, run) => s + run.errors.length, 0)),
      seconds.length > 0 ? (seconds.reduce((s, t) => s + t, 0) / seconds.length).toFixed(1) : "-",
    ]);
  }
  console.log(table(rows));

  // what went wrong besides misplacements: error outputs, runs that did not finish, the rest
  let incomplete = false;
  for (const report of reports) {
    const name = report.notebook.short;
    for (const run of report.runs) {
      for (const e of run.errors) {
        console.log(
          `note: ${name} run ${run.run}: code cell ${e.codeCell}: ${e.kind}: ${e.message}`,
        );
      }
    }
    if (report.failure || report.runs.length < options.runs) incomplete = true;
    const others = describeProblems({ ...report, runs: [], edit: undefined });
    for (const line of others) console.log(`note: ${line.split("\n")[0]}`);
  }
  const resultsAfter = await resultChecksums();
  for (const [path, sum] of resultsAfter) {
    if (resultsBefore.get(path) !== sum) console.log(`note: rewritten by the runs: ${path}`);
  }
  return incomplete ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
