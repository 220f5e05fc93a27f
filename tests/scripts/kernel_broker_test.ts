// Runs the protocol tests of scripts/kernel_broker.py (tests/scripts/kernel_broker_test.py, Python's
// unittest with jupyter_client against the broker and a real Deno kernel), one Deno test per case.
import { testPythonCases } from "./_python_cases.ts";

await testPythonCases("tests/scripts/kernel_broker_test.py", "kernel_broker.py");
