// The report's live widgets as a reader gets them: chapter 03's page built by the report command's
// own step (`run_notebooks.py html`, which bundles lib/widgets/ into widgets.js), served over plain
// HTTP with no COOP/COEP headers, opened in Debian's Chromium. The 2-3-2 network's widget must
// mount and answer a click within 1 s of the page's load, train at its defaults (the settings the
// chapter's tagged cell displayed) to the numbers `trainScalar` gives in Deno, bit for bit (every
// step loss, every weight, each epoch's validation loss and accuracy, as shown), restore another
// setting from the URL and write a changed one back, load nothing from outside the folder, and log
// no error (the time it takes to answer is printed; `deno task bench:widgets` holds it to its
// budget). Without JavaScript the page still shows every figure. Screenshots go to
// build/browser-test/.
import { assert, assertEquals } from "@std/assert";
import { loadSynth } from "../../lib/data/synth.ts";
import { trainScalar } from "../../lib/scalar/train.ts";
import { ScalarRun, type ScalarRunSettings } from "../../lib/widgets/_scalar_run.ts";
import type { Page } from "playwright-core";
import { launchChromium } from "./_chromium.ts";
import { ROOT } from "./_notebooks.ts";
import { buildReportPages, taggedJson } from "./_report_build.ts";
import { serveFolder } from "./_serve_folder.ts";
import { waitForTaggedProcesses } from "./_tagged_processes.ts";

const CHAPTER = "03-scalar-training-synthetic";
const TAG = "widget:scalar-training";
const SHOTS = `${ROOT}build/browser-test`;
/** Page loads whose answer is measured (printed: the 1 s budget is bench:widgets', not a test's). */
const LOADS = 1;

/** `trainScalar`'s run at the settings, in Deno. */
async function denoRun(s: ScalarRunSettings) {
  const data = loadSynth({
    numTrain: s.numTrain,
    numValidation: s.numValidation,
    seed: s.dataSeed,
  });
  const { numHiddens, epochs, lr, seed } = s;
  return await trainScalar(data.train, data.validation, {
    numHiddens,
    epochs,
    lr,
    seed,
    progress: false,
  });
}

/** The indices where two lists of numbers differ (Object.is: -0 is not 0), at most 5 of them. */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): string[] {
  const found = a.length === b.length ? [] : [`lengths ${a.length} and ${b.length}`];
  for (let i = 0; i < Math.min(a.length, b.length) && found.length < 5; i++) {
    if (!Object.is(a[i], b[i])) found.push(`[${i}]: ${a[i]} and ${b[i]}`);
  }
  return found;
}

/** What the page's widget holds, read in the page. */
interface WidgetReading {
  settings: ScalarRunSettings;
  step: number;
  losses: number[];
  params: number[];
  epochs: { epoch: number; loss: number; accuracy: number }[];
  shown: string[][];
}

function readWidget(): WidgetReading {
  const widgets = (globalThis as { backpropWidgets?: { handle: { run: ScalarRun } }[] })
    .backpropWidgets!;
  const run = widgets[0].handle.run, { W, b, V, c } = run.network;
  return {
    settings: run.settings,
    step: run.step,
    losses: Array.from(run.losses.subarray(0, run.step)),
    params: [...W.flat(), ...b, ...V.flat(), ...c],
    epochs: run.epochs,
    shown: [...document.querySelectorAll(".live-epochs tbody tr")]
      .map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
  };
}

/** When, in ms from the navigation's start, the page was parsed and the widget answered. */
interface StepTimes {
  parsed: number;
  mounted: number;
  clicked: number;
  shown: number;
}

/**
 * Runs in the page before its scripts: once the widget's Step button exists (the widget has
 * mounted), clicks it in the next task, and notes the times of `StepTimes` in `stepTimes`; `shown`
 * once the frame after the click has been drawn.
 */
function clickStepWhenMounted(): void {
  const times = {} as StepTimes;
  const observer = new MutationObserver(() => {
    const step = document.querySelector<HTMLButtonElement>('[data-widget] [data-role="step"]');
    if (step === null) return;
    observer.disconnect();
    times.mounted = performance.now();
    setTimeout(() => {
      times.clicked = performance.now();
      step.click();
      requestAnimationFrame(() =>
        setTimeout(() => {
          const navigation = performance.getEntriesByType("navigation")[0];
          times.parsed = (navigation as PerformanceNavigationTiming).domInteractive;
          times.shown = performance.now();
          (globalThis as { stepTimes?: StepTimes }).stepTimes = times;
        })
      );
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

Deno.test("ScalarRun takes trainScalar's steps and evaluations, bit for bit, slice by slice", async () => {
  for (
    const s of [
      {
        numTrain: 3000,
        numValidation: 700,
        dataSeed: 4,
        lr: 0.3,
        numHiddens: 5,
        seed: 2,
        epochs: 2,
      },
      {
        numTrain: 2000,
        numValidation: 500,
        dataSeed: 0,
        lr: 0.03,
        numHiddens: 1,
        seed: 0,
        epochs: 3,
      },
    ]
  ) {
    const run = new ScalarRun(s);
    while (run.step < run.total) run.advance(777);
    const expected = await denoRun(s);
    assertEquals(
      differences(run.losses, expected.batchLosses),
      [],
      `step losses at ${JSON.stringify(s)}`,
    );
    assertEquals(run.network, expected.network);
    assertEquals(
      run.epochs,
      expected.epochs.map((e) => ({ epoch: e.epoch, loss: e.evalLoss, accuracy: e.evalAccuracy })),
    );
  }
});

Deno.test("widgets: chapter 03's live network, served plain, trains as the chapter's run, bit for bit", async () => {
  const folder = await Deno.makeTempDir({ prefix: "backprop-widgets-" });
  const tag = `widgets-${crypto.randomUUID()}`;
  const server = serveFolder(folder);
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const printed = await buildReportPages(folder, [`${CHAPTER}.ipynb`]);
    console.log(printed.split("\n").find((line) => line.includes("widgets.js")));

    const params = await taggedJson<ScalarRunSettings>(CHAPTER, TAG);
    const base = `http://127.0.0.1:${server.addr.port}/`;
    browser = await launchChromium({ tag });
    const foreign: string[] = [], failed: string[] = [], errors: string[] = [];
    const watch = (page: Page) => {
      page.on("request", (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
      });
      page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (error) => errors.push(String(error)));
    };
    const page = await browser.context.newPage();
    watch(page);
    await Deno.mkdir(SHOTS, { recursive: true });
    const widget = page.locator('[data-widget="scalar-training"]');
    const status = widget.locator(".live-status");

    // mounted, and answering a click as soon as it has: a script in the page clicks Step as soon
    // as the widget has mounted, and notes when the frame showing the step is drawn; counted from
    // the moment the document is parsed (domInteractive, when its scripts start). The time is
    // printed: issue 22's budget of 1 s is measured by bench/widget_budgets.ts, as speed is
    for (let load = 0; load < LOADS; load++) {
      const timing = await browser.context.newPage();
      watch(timing);
      await timing.addInitScript(clickStepWhenMounted);
      await timing.goto(`${base}${CHAPTER}.html`);
      const times = await (await timing.waitForFunction(() =>
        (globalThis as { stepTimes?: StepTimes }).stepTimes?.shown &&
        (globalThis as { stepTimes?: StepTimes }).stepTimes
      )).jsonValue() as StepTimes;
      assert(
        /step 1 of/.test(await timing.locator(".live-status").innerText()),
        "Step did nothing",
      );
      await timing.close();
      console.log(
        `after navigation start: page parsed ${times.parsed.toFixed(0)} ms, widget mounted ` +
          `${times.mounted.toFixed(0)} ms, its first step drawn ${times.shown.toFixed(0)} ms: ` +
          `${(times.shown - times.parsed).toFixed(0)} ms from parsed to answered`,
      );
    }
    await page.goto(`${base}${CHAPTER}.html`);
    await page.waitForSelector('[data-widget="scalar-training"][data-state="ready"]');
    await widget.getByRole("button", { name: "Step" }).click();
    assert(
      (await widget.locator(".live-math").innerText()).includes("y − t ="),
      "no update shown after a step",
    );
    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: `${SHOTS}/widget-scalar-training-step.png` });

    // at its defaults, all epochs as fast as it goes: the numbers of trainScalar in Deno
    await widget.getByRole("button", { name: "Reset" }).click();
    await widget.locator("select").selectOption("0");
    const started = performance.now();
    await widget.getByRole("button", { name: "Start" }).click();
    await page.waitForFunction(
      () =>
        (globalThis as { backpropWidgets?: { handle: { run: ScalarRun } }[] }).backpropWidgets![0]
          .handle.run.step > 20_000,
    );
    await widget.screenshot({ path: `${SHOTS}/widget-scalar-training-training.png` });
    await page.waitForFunction(
      () => / done$/.test(document.querySelector(".live-status")?.textContent ?? ""),
      null,
      {
        timeout: 120_000,
      },
    );
    console.log(
      `${await status.innerText()}: ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s in Chromium`,
    );
    await widget.screenshot({ path: `${SHOTS}/widget-scalar-training-done.png` });
    const trained = await page.evaluate(readWidget);
    const expected = await denoRun(params);
    const { W, b, V, c } = expected.network;
    assertEquals(trained.settings, { ...params }, "the widget's settings are not the chapter's");
    assertEquals(
      differences(trained.losses, expected.batchLosses),
      [],
      "step losses: Chromium against Deno",
    );
    assertEquals(
      differences(trained.params, [...W.flat(), ...b, ...V.flat(), ...c]),
      [],
      "weights",
    );
    assertEquals(
      trained.epochs,
      expected.epochs.map((e) => ({ epoch: e.epoch, loss: e.evalLoss, accuracy: e.evalAccuracy })),
      "each epoch's validation loss and accuracy",
    );
    assertEquals(
      trained.shown.map((row) => row.slice(0, 2)),
      expected.epochs.map((e) => [`${e.epoch}`, `${e.evalLoss}`]),
    );

    // another setting from the URL; a changed knob goes back into it; the cell to copy follows
    await page.goto(`${base}${CHAPTER}.html?lr=0.1&hidden=5&seed=2`);
    await page.waitForSelector('[data-widget="scalar-training"][data-state="ready"]');
    const knobs = () =>
      widget.locator("input").evaluateAll((inputs) =>
        inputs.map((i) => (i as HTMLInputElement).value)
      );
    assertEquals(await knobs(), ["0.1", "5", "2"]);
    await widget.getByRole("button", { name: "Step" }).click();
    const restored = await page.evaluate(readWidget);
    const first = await denoRun({ ...params, lr: 0.1, numHiddens: 5, seed: 2, epochs: 1 });
    assertEquals(restored.settings, { ...params, lr: 0.1, numHiddens: 5, seed: 2 });
    assertEquals(
      differences(restored.losses, first.batchLosses.subarray(0, 1)),
      [],
      "first step at ?lr=0.1&hidden=5&seed=2",
    );
    await widget.locator('input[data-role="lr"]').fill("0.3");
    await widget.locator('input[data-role="lr"]').dispatchEvent("change");
    assertEquals(new URL(page.url()).search, "?lr=0.3&hidden=5&seed=2");
    await widget.getByRole("button", { name: "Copy as a notebook cell" }).click();
    const cell = await widget.locator("pre").innerText();
    for (
      const part of [
        "numHiddens: 5",
        "lr: 0.3",
        "seed: 2",
        `epochs: ${params.epochs}`,
        `numTrain: ${params.numTrain}`,
      ]
    ) {
      assert(cell.includes(part), `the cell to copy lacks ${part}:\n${cell}`);
    }

    assertEquals(foreign, [], "requests that left the served folder");
    assertEquals(failed, [], "requests the folder could not answer");
    assertEquals(errors, [], "errors in the page");

    // with scripts off: the same figures, the widget's place empty
    const figures = await page.locator(".report-figure svg, .report-figure img").count();
    const off = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(off);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    await off.goto(`${base}${CHAPTER}.html`);
    assert(figures >= 5, `${CHAPTER}: only ${figures} figures with scripts on`);
    assertEquals(await off.locator(".report-figure svg, .report-figure img").count(), figures);
    assertEquals(await off.locator('[data-widget="scalar-training"]').innerHTML(), "");
    await off.locator('[data-widget="scalar-training"]').evaluate((e) =>
      e.closest(".jp-Cell")!.scrollIntoView()
    );
    await off.screenshot({ path: `${SHOTS}/widget-scalar-training-noscript.png` });
  } finally {
    await browser?.close();
    await server.shutdown();
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    const left = await waitForTaggedProcesses(tag, 10_000);
    assertEquals(left.map((p) => p.pid), [], "processes left behind");
  }
});
