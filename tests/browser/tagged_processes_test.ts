// The browser test's process check: it finds what the test started, by the tag in the
// environment or by session (for processes that hide their environment, as Chromium's do), and
// nothing else.
import { assert, assertEquals } from "@std/assert";
import { TAG_VARIABLE, taggedProcesses, waitForTaggedProcesses } from "./_tagged_processes.ts";

Deno.test("taggedProcesses() finds tagged processes and the other members of their sessions", async () => {
  const tag = crypto.randomUUID();
  const child = new Deno.Command("bash", {
    // the second sleep runs without the tag, in the same session
    args: ["-c", `sleep 30 & env -u ${TAG_VARIABLE} sleep 31 & wait`],
    env: { [TAG_VARIABLE]: tag },
    detached: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let found = taggedProcesses(tag);
    for (let i = 0; i < 50 && found.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = taggedProcesses(tag);
    }
    const commands = found.map((p) => p.command);
    assertEquals(found.length, 3, `found: ${commands.join(" | ")}`);
    assert(commands.includes("sleep 31"), `the untagged sleep is missing: ${commands.join(" | ")}`);
    assert(found.every((p) => p.pid !== Deno.pid));
    assertEquals(taggedProcesses(crypto.randomUUID()), []);
  } finally {
    Deno.kill(-child.pid, "SIGKILL");
    await child.status;
  }
  assertEquals(await waitForTaggedProcesses(tag, 5_000), []);
});
