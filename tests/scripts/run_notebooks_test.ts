// Runs the tests of scripts/run_notebooks.py (tests/scripts/run_notebooks_test.py, Python's
// unittest running throwaway notebooks through it with a real Deno kernel), one Deno test per case.
import { testPythonCases } from "./_python_cases.ts";

await testPythonCases("tests/scripts/run_notebooks_test.py", "run_notebooks.py");
