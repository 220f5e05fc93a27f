// Runs the protocol tests of scripts/kernel_broker.py (tests/scripts/kernel_broker_test.py, Python's
// unittest with jupyter_client against the broker and a real Deno kernel), one Deno test per case.
import { assert } from "@std/assert";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";
const script = `${root}tests/scripts/kernel_broker_test.py`;
const env = {
  JUPYTER_PATH: Deno.env.get("JUPYTER_PATH") ?? `${root}.jupyter/share/jupyter`,
  NO_COLOR: "1",
};

async function runPython(args: string[]): Promise<{ success: boolean; output: string }> {
  const run = await new Deno.Command(python, { args: [script, ...args], env, stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { success: run.success, output: decode(run.stdout) + decode(run.stderr) };
}

const listing = await runPython(["--list"]);
const cases = listing.output.split("\n").filter((line) => line.startsWith("BrokerTest."));

Deno.test("kernel_broker_test.py lists its protocol tests", () => {
  assert(listing.success && cases.length > 0, `No test cases listed:\n${listing.output}`);
});

for (const name of cases) {
  Deno.test(`kernel_broker.py: ${name.slice("BrokerTest.test_".length).replaceAll("_", " ")}`, async () => {
    const { success, output } = await runPython([name]);
    assert(success, `${name} failed:\n${output.split("\n").slice(-40).join("\n")}`);
  });
}
