// Every notebook in notebooks/ executed headlessly in quick mode (BACKPROP_QUICK=1) with the
// project's Deno kernel; a cell that raises or writes to stderr fails its test. The executed
// copies go to build/test-notebooks/, never over the committed notebooks.
import { assert } from "@std/assert";
import { fileURLToPath } from "node:url";
import { existsSync, readdirSync } from "node:fs";

const root = fileURLToPath(new URL("../", import.meta.url));
const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";
const jupyterPath = Deno.env.get("JUPYTER_PATH") ?? `${root}.jupyter/share/jupyter`;
const notebooks = readdirSync(`${root}notebooks`).filter((name) => name.endsWith(".ipynb")).sort();

for (const name of notebooks) {
  Deno.test(`notebook ${name} runs in quick mode without errors`, async () => {
    assert(
      existsSync(`${jupyterPath}/kernels/backprop/kernel.json`),
      `No Deno kernelspec at ${jupyterPath}/kernels/backprop: run the tests with "bash scripts/test.sh", which sets it up`,
    );
    const run = await new Deno.Command(python, {
      args: [
        `${root}scripts/run_notebooks.py`,
        "execute",
        "--quick",
        "--out",
        `${root}build/test-notebooks`,
        `${root}notebooks/${name}`,
      ],
      env: { JUPYTER_PATH: jupyterPath, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    assert(
      run.success,
      `${name} failed in quick mode:\n${stderr.split("\n").slice(-30).join("\n")}`,
    );
  });
}
