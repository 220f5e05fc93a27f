/**
 * Runs the cases of a Python unittest file in tests/scripts/ as Deno tests, one Deno test per
 * case, with Debian's python3 (or PYTHON) and the project's Jupyter path (or JUPYTER_PATH), as
 * scripts/setup.sh sets them up. Its cases are listed by loading it with unittest's loader
 * (LIST_CASES), and each runs as `python3 FILE Class.test_name`.
 *
 * @module
 */
import { assert } from "@std/assert";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";
const env = {
  JUPYTER_PATH: Deno.env.get("JUPYTER_PATH") ?? `${root}.jupyter/share/jupyter`,
  NO_COLOR: "1",
};

/** Prints the unittest cases of the file given, one `Class.test_name` a line. */
const LIST_CASES = `
import importlib.util, sys, unittest
spec = importlib.util.spec_from_file_location("cases", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
for suite in unittest.defaultTestLoader.loadTestsFromModule(module):
    for case in suite:
        print(case.id().split(".", 1)[1])
`;

async function runPython(
  script: string,
  args: string[],
): Promise<{ success: boolean; output: string }> {
  const run = await new Deno.Command(python, { args: [script, ...args], env, stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { success: run.success, output: decode(run.stdout) + decode(run.stderr) };
}

/**
 * Registers one Deno test per case of a Python unittest file, named after the case.
 *
 * @param script The Python file, from the repository's root (`tests/scripts/…_test.py`).
 * @param subject What the test names start with, such as `kernel_broker.py`.
 * @returns Once the cases are listed and registered.
 *
 * @example Usage
 * ```ts ignore
 * await testPythonCases("tests/scripts/kernel_broker_test.py", "kernel_broker.py");
 * // registers "kernel_broker.py: pipelined requests keep each output under its own request", …
 * ```
 */
export async function testPythonCases(script: string, subject: string): Promise<void> {
  const listing = await runPython("-c", [LIST_CASES, `${root}${script}`]);
  const cases = listing.output.split("\n").filter((line) => /^\w+\.test_\w+$/.test(line));

  Deno.test(`${script} lists its test cases`, () => {
    assert(listing.success && cases.length > 0, `No test cases listed:\n${listing.output}`);
  });

  for (const name of cases) {
    const title = name.slice(name.indexOf(".test_") + ".test_".length).replaceAll("_", " ");
    Deno.test(`${subject}: ${title}`, async () => {
      const { success, output } = await runPython(`${root}${script}`, [name]);
      assert(success, `${name} failed:\n${output.split("\n").slice(-40).join("\n")}`);
    });
  }
}
