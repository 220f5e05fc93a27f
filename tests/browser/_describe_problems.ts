/**
 * Turns a browser test's report into the lines a failing test prints.
 *
 * @module
 */

import { errorOutputs } from "./_error_outputs.ts";
import type { NotebookOutput } from "./_output_kinds.ts";
import type { BrowserRunReport } from "./_run_in_browser.ts";

/**
 * The report's problems, one self-explaining line each (empty when the notebook passed):
 * misplaced outputs, error outputs, an edit whose output did not change, a changed notebook file,
 * blocked writes, processes left behind, or what stopped the test.
 *
 * @param report The report.
 * @returns The problems.
 */
export function describeProblems(report: BrowserRunReport): string[] {
  const name = report.notebook.name;
  const problems: string[] = [];
  if (report.failure) problems.push(`${name}: the test stopped: ${report.failure}`);
  const total = report.runs.length;
  const rerun = report.edit?.rerun;
  for (const run of rerun === undefined ? report.runs : [...report.runs, rerun]) {
    const where = run === rerun
      ? `${name}, Restart & Run All after the edit`
      : `${name}, Restart & Run All ${run.run} of ${total}`;
    for (const m of run.misplacements) {
      problems.push(
        `${where}: code cell ${m.codeCell} (${m.firstLine}): expected outputs ` +
          `[${m.expected.join(", ")}] (the headless run) but found [${m.found.join(", ")}]`,
      );
    }
    for (const e of run.errors) {
      problems.push(`${where}: code cell ${e.codeCell} has an ${e.kind} output: ${e.message}`);
    }
  }
  const edit = report.edit;
  if (edit?.result) {
    const { edit: e, result } = edit;
    const where = `${name}, code cell ${result.codeCell} edited (${e.what})` +
      (result.shownIn === result.codeCell ? "" : `, code cell ${result.shownIn} read`);
    const before = outputText(result.before);
    const after = outputText(result.after);
    if (before.includes(e.expect)) {
      problems.push(`${where}: its outputs showed ${JSON.stringify(e.expect)} before the edit`);
    }
    if (!after.includes(e.expect)) {
      problems.push(
        `${where}: expected its outputs to show ${JSON.stringify(e.expect)} after it ran but ` +
          `found: ${JSON.stringify(after.slice(0, 300))}`,
      );
    }
    for (const error of errorOutputs([{ source: result.source, outputs: result.after }])) {
      problems.push(`${where}: it has an ${error.kind} output: ${error.message}`);
    }
  }
  if (report.notebookChanged) {
    problems.push(
      `${name}: the notebook file changed during the test (its checksum differs); the page's ` +
        `writes were ${report.blockedWrites.length > 0 ? "" : "none, "}blocked: was the file ` +
        `edited by someone else meanwhile?`,
    );
  }
  if (report.blockedWrites.length > 0) {
    problems.push(
      `${name}: the page tried to write the notebook (blocked): ${report.blockedWrites.join(", ")}`,
    );
  }
  for (const p of report.leftovers) {
    problems.push(
      `${name}: a process of the test was left running (killed): ${p.pid} ${p.command}`,
    );
  }
  return problems;
}

/** The text of outputs: stream text and every textual representation of their data. */
function outputText(outputs: readonly NotebookOutput[]): string {
  const parts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === "string") parts.push(value);
    else if (Array.isArray(value)) parts.push(value.join(""));
  };
  for (const output of outputs) {
    add(output.text);
    for (const value of Object.values(output.data ?? {})) add(value);
  }
  return parts.join("\n");
}
