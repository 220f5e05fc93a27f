/**
 * The reference the browser runs are compared with: the notebook executed by the headless runner
 * (scripts/run_notebooks.py, which sends one cell at a time), in quick mode or at full size; or,
 * when asked, the outputs committed in the notebook (those of the last full run of the report
 * command, by the same runner: no run needed, but a cell committed without outputs then differs).
 *
 * @module
 */

import { type NotebookFile, readCodeCells, ROOT } from "./_notebooks.ts";
import type { CodeCellOutputs } from "./_find_misplacements.ts";

/** Options of `referenceOutputs`. */
export interface ReferenceOutputsOptions {
  /**
   * Quick mode (`--quick`, BACKPROP_QUICK=1) or full size.
   *
   * @default {true}
   */
  quick?: boolean;
  /**
   * "headless": run the notebook with the headless runner; "committed": read the outputs stored
   * in the notebook file (full size only).
   *
   * @default {"headless"}
   */
  source?: "headless" | "committed";
  /**
   * Where the headless runner writes its executed copy.
   *
   * @default {"build/browser-test/reference"}
   */
  outDir?: string;
  /**
   * The run store's folder (BACKPROP_CACHE) for the headless run.
   *
   * @default {the environment's}
   */
  store?: string;
}

/**
 * The code cells of the reference run of a notebook.
 *
 * @param notebook The notebook.
 * @param options Quick or full, headless or committed, and where the executed copy goes.
 * @returns Its code cells with the reference outputs.
 */
export async function referenceOutputs(
  notebook: NotebookFile,
  options: ReferenceOutputsOptions = {},
): Promise<CodeCellOutputs[]> {
  const {
    quick = true,
    source = "headless",
    outDir = `${ROOT}build/browser-test/reference`,
  } = options;
  if (source === "committed") {
    if (quick) {
      throw new RangeError(
        "Expected a full-size run with the committed outputs as reference but found quick mode: " +
          "the committed outputs come from full runs",
      );
    }
    return await readCodeCells(notebook.path);
  }
  const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";
  const jupyterPath = Deno.env.get("JUPYTER_PATH") ?? `${ROOT}.jupyter/share/jupyter`;
  const env: Record<string, string> = { JUPYTER_PATH: jupyterPath, NO_COLOR: "1" };
  if (options.store !== undefined) env.BACKPROP_CACHE = options.store;
  const run = await new Deno.Command(python, {
    args: [
      `${ROOT}scripts/run_notebooks.py`,
      "execute",
      ...(quick ? ["--quick"] : []),
      "--out",
      outDir,
      notebook.path,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!run.success) {
    const stderr = new TextDecoder().decode(run.stderr);
    throw new Error(
      `The headless reference run of ${notebook.name} (${quick ? "quick" : "full"}) failed:\n${
        stderr.split("\n").slice(-30).join("\n")
      }`,
    );
  }
  return await readCodeCells(`${outDir}/${notebook.name}`);
}
