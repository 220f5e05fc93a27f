// Every notebook in the classic Jupyter Notebook (scripts/notebook.sh) and Debian's Chromium, in
// quick mode, as a reader uses it: three Kernel → Restart & Run All, after each of which every
// code cell's outputs match the headless runner's in kind and order, with no error output; then
// one small edit, as a reader makes it: a constant run with Shift+Enter whose new value shows in
// the cell's output (01, 02), or a setting changed in the settings cell and Restart & Run All, whose
// new value shows where the chapter uses it (03, 04, 06; in 05 a rate added to the plain grid,
// whose provenance line shows that only the new rate's runs trained), every other output still
// under its own cell. The notebook
// file is never saved (its checksum is compared), and no process of the test is left behind.
// Screenshots, the server's log and each run's output kinds go to build/browser-test/.
import { assert } from "@std/assert";
import { describeProblems } from "./_describe_problems.ts";
import { notebookFiles } from "./_notebooks.ts";
import { runInBrowser } from "./_run_in_browser.ts";

const RUNS = 3;

for (const notebook of notebookFiles()) {
  Deno.test(
    `runInBrowser() ${notebook.name}: ${RUNS} × Restart & Run All put every output under its cell`,
    async () => {
      const report = await runInBrowser(notebook, { runs: RUNS });
      const misplaced = report.runs.map((run) => run.misplacements.length);
      console.log(
        `${notebook.short}: ${report.runs.length} runs in ` +
          `${report.runs.map((run) => `${run.seconds.toFixed(1)} s`).join(", ")}; ` +
          `misplaced cells per run: ${misplaced.join(", ") || "none ran"}`,
      );
      if (report.edit?.rerun !== undefined) {
        console.log(
          `${notebook.short}: after the edit (${report.edit.edit.what}), Restart & Run All in ` +
            `${report.edit.rerun.seconds.toFixed(1)} s`,
        );
      }
      if (report.pageErrors.length > 0) {
        console.log(
          `${notebook.short}: errors in the page's scripts: ${report.pageErrors.join("; ")}`,
        );
      }
      const problems = describeProblems(report);
      assert(problems.length === 0, `\n${problems.join("\n")}\n`);
    },
  );
}
