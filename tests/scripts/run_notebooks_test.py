"""Tests of scripts/run_notebooks.py `execute`, on small throwaway notebooks and a real Deno kernel.

Each test writes a notebook of a few cells into a temporary folder and runs the runner on it as
scripts/report.sh does (a subprocess, the project's kernelspec "backprop" found through
JUPYTER_PATH), then checks its exit code, what it printed and what it left on disk. Run by
tests/scripts/run_notebooks_test.ts (JUPYTER_PATH set up by scripts/setup.sh):

    python3 tests/scripts/run_notebooks_test.py [--list | RunNotebooksTest.test_name ...]
"""

import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import nbformat

RUNNER = Path(__file__).resolve().parents[2] / "scripts" / "run_notebooks.py"
TIMEOUT = 120


class RunNotebooksTest(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="run-notebooks-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    # --- helpers -----------------------------------------------------------------------------
    def write_notebook(self, *sources):
        """A notebook with a Markdown title and one code cell per source; returns its path."""
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("# A throwaway notebook")]
        nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
        path = self.folder / "throwaway.ipynb"
        nbformat.write(nb, path)
        return path

    def execute(self, path, *options):
        """Run `run_notebooks.py execute OPTIONS PATH`; returns (exit code, stdout, stderr)."""
        run = subprocess.run(
            [sys.executable, str(RUNNER), "execute", *options, str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        return run.returncode, run.stdout, run.stderr

    def assert_fails_naming(self, sources, code_cell, message):
        """The notebook of `sources`, run in place, fails naming the notebook, the code cell (from
        1) with its first line, and the message; the notebook on disk is left as it was."""
        path = self.write_notebook(*sources)
        before = path.read_bytes()
        code, stdout, stderr = self.execute(path)
        report = f"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        self.assertNotEqual(code, 0, report)
        self.assertIn(str(path), stderr, report)
        cell = code_cell + 1  # after the Markdown title
        self.assertIn(f"code cell {code_cell} (cell {cell} of {len(sources) + 1})", stderr, report)
        self.assertIn(sources[code_cell - 1].splitlines()[0], stderr, report)
        self.assertIn(message, stderr, report)
        self.assertEqual(path.read_bytes(), before, "the failed run changed the notebook on disk")
        self.assertEqual(sorted(p.name for p in self.folder.iterdir()), [path.name])

    # --- the tests ---------------------------------------------------------------------------
    def test_an_unawaited_rejected_promise_fails_the_run_naming_its_cell(self):
        self.assert_fails_naming(
            ["const a = 1;", 'Promise.reject(new Error("late"));', "a + 1"],
            code_cell=2,
            message="Error: late",
        )

    def test_an_unhandled_rejection_from_an_async_function_fails_the_run(self):
        self.assert_fails_naming(
            ["const a = 1;", '(async () => {\n  throw new Error("x");\n})();', "a + 1"],
            code_cell=2,
            message="Error: x",
        )

    def test_an_error_thrown_in_a_timer_fails_the_run(self):
        # the last cell: named whether the error comes within the broker's quiet spell (the
        # usual case) or later, when no cell runs
        self.assert_fails_naming(
            ["const a = 1;", 'setTimeout(() => {\n  throw new Error("t");\n}, 10);'],
            code_cell=2,
            message="Error: t",
        )

    def test_a_timer_error_names_the_cell_running_when_it_arrives(self):
        self.assert_fails_naming(
            [
                'setTimeout(() => {\n  throw new Error("t300");\n}, 300);',
                "await new Promise((resolve) => setTimeout(resolve, 1000));",
                "1 + 1",
            ],
            code_cell=2,
            message="Error: t300",
        )

    def test_a_timer_error_after_the_last_cell_fails_the_run(self):
        self.assert_fails_naming(
            ["const a = 1;", 'setTimeout(() => {\n  throw new Error("after the end");\n}, 100);'],
            code_cell=2,
            message="Error: after the end",
        )

    def test_a_line_on_stderr_fails_the_run_naming_its_cell(self):
        self.assert_fails_naming(['console.error("something went wrong");'], 1, "something went wrong")

    def test_the_run_stores_line_about_a_damaged_entry_does_not_fail_the_run(self):
        line = "run store: ignoring /tmp/x/ab/abcd.run: damaged; the run is trained again"
        path = self.write_notebook(f"console.warn({line!r});\n1 + 1")
        out = self.folder / "out"
        code, stdout, stderr = self.execute(path, "--out", str(out))
        self.assertEqual(code, 0, f"stdout:\n{stdout}\nstderr:\n{stderr}")
        executed = nbformat.read(out / path.name, as_version=4)
        texts = ["".join(o.get("text", "")) for c in executed.cells for o in c.get("outputs", [])]
        self.assertIn(line + "\n", texts, "the line shows under its cell")

    def test_a_clean_notebook_with_timers_and_handled_rejections_passes(self):
        path = self.write_notebook(
            "setTimeout(() => { globalThis.fired = true; }, 10);",
            'Promise.reject(new Error("handled")).catch(() => {});',
            "const late = Promise.reject(new Error(\"handled later\"));\nlate.catch(() => {});",
            "await new Promise((resolve) => setTimeout(resolve, 50));\nglobalThis.fired",
        )
        out = self.folder / "out"
        code, stdout, stderr = self.execute(path, "--out", str(out))
        self.assertEqual(code, 0, f"stdout:\n{stdout}\nstderr:\n{stderr}")
        executed = nbformat.read(out / path.name, as_version=4)
        outputs = [output for cell in executed.cells for output in cell.get("outputs", [])]
        kinds = {output["output_type"] for output in outputs}
        self.assertEqual(kinds, {"execute_result"}, f"outputs: {outputs}")
        self.assertEqual(outputs[-1]["data"]["text/plain"], "true")


if __name__ == "__main__":
    unittest.main(verbosity=2)
