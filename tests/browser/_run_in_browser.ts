/**
 * The browser test of one notebook, from start to cleanup: the headless reference, the notebook
 * server, Chromium, N × Restart & Run All with every code cell's outputs compared with the
 * reference, one edited cell run again, screenshots, then everything stopped and checked: the
 * notebook file unchanged, no process of the test left.
 *
 * @module
 */

import { launchChromium } from "./_chromium.ts";
import { CELL_EDITS, type CellEdit } from "./_cell_edits.ts";
import { type ErrorOutput, errorOutputs } from "./_error_outputs.ts";
import {
  type CodeCellOutputs,
  findMisplacements,
  type Misplacement,
} from "./_find_misplacements.ts";
import { type EditResult, NotebookPage } from "./_notebook_page.ts";
import { startNotebookServer } from "./_notebook_server.ts";
import { type NotebookFile, ROOT, sha256 } from "./_notebooks.ts";
import { outputKinds } from "./_output_kinds.ts";
import { referenceOutputs } from "./_reference_outputs.ts";
import { type TaggedProcess, waitForTaggedProcesses } from "./_tagged_processes.ts";

/** One Restart & Run All. */
export interface RunResult {
  /** The run's number, from 1. */
  run: number;
  /** Seconds from the confirm click until the outputs settled. */
  seconds: number;
  /** The code cells whose output kinds differ from the reference's. */
  misplacements: Misplacement[];
  /** Error outputs and stderr streams. */
  errors: ErrorOutput[];
}

/** Everything one browser test of a notebook found. */
export interface BrowserRunReport {
  /** The notebook. */
  notebook: NotebookFile;
  /** Quick mode (BACKPROP_QUICK=1) or full size. */
  quick: boolean;
  /** The runs that finished. */
  runs: RunResult[];
  /**
   * The edit made after the runs, and what came of it (absent when no edit was asked for); with
   * `rerun: "all"`, the Restart & Run All after it as a run of its own.
   */
  edit?: { edit: CellEdit; result?: EditResult; rerun?: RunResult };
  /** Whether the notebook file's checksum differs after the test. */
  notebookChanged: boolean;
  /** Requests that would have written the notebook, blocked. */
  blockedWrites: string[];
  /** Errors thrown by the page's own scripts (reported, not failures). */
  pageErrors: string[];
  /** Processes of the test alive after the cleanup (they are killed, and fail the test). */
  leftovers: TaggedProcess[];
  /** The screenshots taken. */
  screenshots: string[];
  /** What stopped the test early, if something did. */
  failure?: string;
}

/** Options of `runInBrowser`. */
export interface RunInBrowserOptions {
  /**
   * How many Restart & Run All in a row.
   *
   * @default {3}
   */
  runs?: number;
  /**
   * Quick mode (BACKPROP_QUICK=1); full size otherwise.
   *
   * @default {true}
   */
  quick?: boolean;
  /**
   * The reference: a headless run in the same mode, or the outputs committed in the notebook
   * (full size only; saves the headless full run).
   *
   * @default {"headless"}
   */
  reference?: "headless" | "committed";
  /**
   * Whether to make the notebook's edit of `CELL_EDITS` after the runs.
   *
   * @default {true}
   */
  edit?: boolean;
  /**
   * Where screenshots, logs and the reference run go.
   *
   * @default {"build/browser-test"}
   */
  outDir?: string;
  /**
   * How long one Restart & Run All may take.
   *
   * @default {600_000 in quick mode, 3_600_000 at full size}
   */
  timeoutMs?: number;
  /**
   * How long the outputs must stay unchanged, the kernel idle, before a run counts as finished.
   *
   * @default {2_000}
   */
  settleMs?: number;
  /**
   * Called after each run (progress for the measuring command).
   *
   * @default {undefined}
   */
  onRun?: (run: RunResult) => void;
}

/**
 * Runs the browser test of one notebook and reports what it found; never throws for what it
 * finds (see `describeProblems`), and always stops what it started.
 *
 * @param notebook The notebook.
 * @param options Runs, quick or full, the edit, the output folder and the times.
 * @returns The report.
 */
export async function runInBrowser(
  notebook: NotebookFile,
  options: RunInBrowserOptions = {},
): Promise<BrowserRunReport> {
  const {
    runs = 3,
    quick = true,
    reference: referenceSource = "headless",
    edit = true,
    outDir = `${ROOT}build/browser-test`,
    timeoutMs = quick ? 600_000 : 3_600_000,
    settleMs = 2_000,
    onRun,
  } = options;
  await Deno.mkdir(outDir, { recursive: true });
  const tag = crypto.randomUUID();
  const before = await sha256(notebook.path);
  const report: BrowserRunReport = {
    notebook,
    quick,
    runs: [],
    notebookChanged: false,
    blockedWrites: [],
    pageErrors: [],
    leftovers: [],
    screenshots: [],
  };
  const kinds: string[][][] = [];
  let reference: CodeCellOutputs[] = [];
  // a run store of this test's own, shared by the headless reference and the browser's kernels:
  // the browser's runs reuse the reference's, and an edit trains exactly the runs it adds
  const store = `${outDir}/runs-${notebook.short}`;
  await Deno.remove(store, { recursive: true }).catch(() => {});
  try {
    reference = await referenceOutputs(notebook, {
      quick,
      source: referenceSource,
      outDir: `${outDir}/reference`,
      store,
    });
    const server = await startNotebookServer({
      tag,
      quick,
      logPath: `${outDir}/${notebook.short}-server.log`,
      store,
    });
    try {
      const chromium = await launchChromium({ tag });
      try {
        const page = await NotebookPage.open(chromium.context, {
          url: server.url,
          token: server.token,
          notebook,
        });
        report.blockedWrites = page.blockedWrites;
        report.pageErrors = page.pageErrors;
        for (let run = 1; run <= runs; run++) {
          const seconds = await page.restartAndRunAll({ timeoutMs, settleMs });
          const cells = await page.codeCells();
          kinds.push(cells.map((cell) => outputKinds(cell.outputs)));
          const result = {
            run,
            seconds,
            misplacements: findMisplacements(reference, cells),
            errors: errorOutputs(cells),
          };
          report.runs.push(result);
          onRun?.(result);
        }
        const top = `${outDir}/${notebook.short}-run-all.png`;
        await page.screenshot(top);
        report.screenshots.push(top);
        const cellEdit = CELL_EDITS[notebook.short];
        if (edit && cellEdit) {
          report.edit = { edit: cellEdit };
          const result = await page.editAndRun(cellEdit, { timeoutMs, settleMs });
          report.edit.result = result;
          if (result.rerun !== undefined) {
            report.edit.rerun = {
              run: runs + 1,
              seconds: result.rerun.seconds,
              misplacements: findMisplacements(reference, result.rerun.cells),
              errors: errorOutputs(result.rerun.cells),
            };
          }
          const shot = `${outDir}/${notebook.short}-edit.png`;
          await page.screenshot(shot, result.shownIn);
          report.screenshots.push(shot);
        }
      } finally {
        await chromium.close();
      }
    } finally {
      await server.close();
    }
  } catch (error) {
    report.failure = error instanceof Error ? error.message : String(error);
  } finally {
    // the output kinds of the reference and of every run, to look at misplacements again
    await Deno.writeTextFile(
      `${outDir}/${notebook.short}-runs.json`,
      JSON.stringify({ reference: reference.map((c) => outputKinds(c.outputs)), runs: kinds }),
    );
    report.leftovers = await waitForTaggedProcesses(tag, 10_000);
    for (const { pid } of report.leftovers) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // ended meanwhile
      }
    }
    await waitForTaggedProcesses(tag, 5_000);
    report.notebookChanged = (await sha256(notebook.path)) !== before;
  }
  return report;
}
