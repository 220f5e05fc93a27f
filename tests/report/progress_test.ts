import {
  assert,
  assertEquals,
  assertLessOrEqual,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { Progress } from "../../lib/report/progress.ts";

Deno.test("Progress.text shows the bar, percent, count and fields", async () => {
  const progress = new Progress({ total: 200, label: "train", unit: "batches", output: "none" });
  progress.update(50, { epoch: 1, loss: 0.123456 });
  assertStringIncludes(progress.text, "train ██████░░░░░░░░░░░░░░░░░░ 25% 50/200 batches");
  assertStringIncludes(progress.text, "epoch 1 · loss 0.1235");
  progress.update(200);
  await progress.done({ loss: 0.01 });
  assertStringIncludes(progress.text, "100% 200/200 batches");
  assert(!progress.text.includes("epoch"), "done's fields replace the last ones");
  assertStringIncludes(progress.text, "loss 0.01");
});

Deno.test("Progress.text counts large totals with separators and shows a rate", () => {
  const progress = new Progress({ total: 300_000, output: "none" });
  const started = performance.now();
  while (performance.now() - started < 5) { /* let the clock move */ }
  progress.update(150_000);
  assertStringIncludes(progress.text, "████████████░░░░░░░░░░░░ 50% 150,000/300,000 steps · ");
  assertStringIncludes(progress.text, " steps/s · eta ");
});

Deno.test("Progress.html escapes the label and sizes the bar", () => {
  const progress = new Progress({ total: 4, label: "<b>lr</b>", output: "none" });
  progress.update(1);
  assertStringIncludes(progress.html, "&lt;b&gt;lr&lt;/b&gt;");
  assertStringIncludes(progress.html, "width:25.0%");
});

Deno.test("Progress() draws nothing in tests: auto resolves to none here", () => {
  assertEquals(new Progress({ total: 1 }).output, "none");
});

Deno.test("Progress() throws a RangeError for an invalid option", () => {
  assertThrows(
    () => new Progress({ total: 0 }),
    RangeError,
    "Expected total to be a finite number greater than 0 but found 0",
  );
  assertThrows(() => new Progress({ total: NaN }), RangeError, "found NaN");
});

Deno.test("Progress.done() keeps the count it was given, short of the total", async () => {
  const progress = new Progress({ total: 10, output: "none" });
  progress.update(7);
  await progress.done();
  assertStringIncludes(progress.text, "70% 7/10 steps");
});

Deno.test("Progress in a notebook sends one display, then throttled updates of it", async () => {
  const sent: { type: string; content: Record<string, unknown> }[] = [];
  const deno = Deno as unknown as { jupyter: unknown };
  // Deno.jupyter throws outside the kernel; its setter lets a test stand in for the kernel
  deno.jupyter = {
    broadcast: (type: string, content: Record<string, unknown>) => {
      sent.push({ type, content });
      return new Promise<void>((resolve) => setTimeout(resolve, 1));
    },
  };
  try {
    const progress = new Progress({ total: 10_000, label: "demo" });
    assertEquals(progress.output, "notebook");
    const started = performance.now();
    for (let i = 1; i <= 10_000; i++) progress.update(i, { loss: 1 / i });
    const seconds = (performance.now() - started) / 1000;
    await progress.done();
    // the first update draws, later ones only every 100 ms, and done() draws the final state
    assertLessOrEqual(sent.length, 2 + Math.ceil(seconds * 10));
    assertEquals(sent[0].type, "display_data");
    assert(sent.slice(1).every((m) => m.type === "update_display_data"));
    const ids = new Set(
      sent.map((m) => (m.content.transient as { display_id: string }).display_id),
    );
    assertEquals(ids.size, 1);
    const last = sent.at(-1)!.content.data as Record<string, string>;
    assertStringIncludes(last["text/plain"], "100% 10,000/10,000 steps");
    assertStringIncludes(last["text/html"], "width:100.0%");
  } finally {
    deno.jupyter = undefined;
  }
});
