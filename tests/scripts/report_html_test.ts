// Runs the tests of scripts/report_html.py (tests/scripts/report_html_test.py, Python's unittest
// on notebooks built in memory and one throwaway notebook written as pages), one Deno test per case.
import { testPythonCases } from "./_python_cases.ts";

await testPythonCases("tests/scripts/report_html_test.py", "report_html.py");
