// The run explorer of chapters 05 and 06 as a reader gets it: each chapter's page built by the
// report's own html step (which embeds the grids exported from data/results/), served over plain
// HTTP with no COOP/COEP headers, in Debian's Chromium. At its defaults (the chapter's tagged
// cell) it shows the chosen run, and its stated numbers are that run's in data/results/; choosing
// another grid, rate and seed redraws and goes into the URL, and such a URL is restored; it loads
// nothing from outside the folder and logs no error. Screenshots go to build/browser-test/.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { loadGridResult } from "../../lib/experiment/results/load_grid_result.ts";
import type { RunExplorerParams } from "../../lib/widgets/run_explorer.ts";
import type { Page } from "playwright-core";
import { launchChromium } from "./_chromium.ts";
import { ROOT } from "./_notebooks.ts";
import { buildReportPages, taggedJson } from "./_report_build.ts";
import { serveFolder } from "./_serve_folder.ts";
import { waitForTaggedProcesses } from "./_tagged_processes.ts";

const TAG = "widget:run-explorer";
const SHOTS = `${ROOT}build/browser-test`;

/** What the explorer states for a stored run: its final epoch's numbers, from data/results/. */
function expectedSummary(grid: string, lr: number, seed: number): string {
  const result = loadGridResult(`${ROOT}data/results/${grid}.parquet`);
  const run = result.records.find((r) => r.config.lr === lr && r.config.seed === seed);
  assert(run, `${grid}: no run at lr ${lr}, seed ${seed}`);
  if (run.diverged !== null) return `stopped at step ${run.diverged.step}`;
  const last = run.epochs[run.epochs.length - 1];
  return `${result.config.split} accuracy ${(100 * last.evalAccuracy).toFixed(2)}% ` +
    `(loss ${last.evalLoss.toFixed(4)}), training loss ${last.trainEvalLoss.toFixed(4)}`;
}

/** The explorer's selects and summary, read in the page. */
function readExplorer() {
  const element = document.querySelector('[data-widget="run-explorer"]')!;
  const [grid, lr, seed] = [...element.querySelectorAll("select")].map((s) => s.value);
  return {
    grid,
    lr: Number(lr),
    seed: Number(seed),
    summary: element.querySelector(".widget-summary")?.textContent ?? "",
    figures: element.querySelectorAll(".widget-figures svg").length,
    url: location.search,
  };
}

for (const chapter of ["05-mnist-analysis", "06-beyond-the-assignment"]) {
  Deno.test(`run explorer: chapter ${chapter.slice(0, 2)}'s stored runs, served plain, as stored`, async () => {
    const params = await taggedJson<RunExplorerParams>(chapter, TAG);
    const folder = await Deno.makeTempDir({ prefix: "backprop-explorer-" });
    const tag = `explorer-${crypto.randomUUID()}`;
    const server = serveFolder(folder);
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    try {
      await buildReportPages(folder, [`${chapter}.ipynb`]);
      const base = `http://127.0.0.1:${server.addr.port}/${chapter}.html`;
      browser = await launchChromium({ tag });
      const foreign: string[] = [], errors: string[] = [];
      const page: Page = await browser.context.newPage();
      page.on("request", (r) => {
        if (
          !r.url().startsWith(`http://127.0.0.1:${server.addr.port}/`) &&
          !r.url().startsWith("data:")
        ) {
          foreign.push(r.url());
        }
      });
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setViewportSize({ width: 1100, height: 900 });

      // at its defaults: the chapter's chosen run, stated as stored
      await page.goto(base, { waitUntil: "load" });
      await page.waitForSelector('[data-widget="run-explorer"] .widget-figures svg');
      const first = await page.evaluate(readExplorer);
      assertEquals([first.grid, first.lr, first.seed], [params.grid, params.lr, params.seed]);
      assertEquals(first.figures >= 2, true, "the explorer drew fewer than its two figures");
      assertStringIncludes(first.summary, expectedSummary(params.grid, params.lr, params.seed));
      await page.locator('[data-widget="run-explorer"]').screenshot({
        path: `${SHOTS}/run-explorer-${chapter.slice(0, 2)}-default.png`,
      });

      // another grid, rate and seed: redrawn, stated as stored, in the URL
      const other = params.grids.find((g) => g.name !== params.grid) ?? params.grids[0];
      const selects = page.locator('[data-widget="run-explorer"] select');
      await selects.nth(0).selectOption(other.name);
      const rates = await selects.nth(1).locator("option").allTextContents();
      await selects.nth(1).selectOption(rates[rates.length - 1]);
      const seeds = await selects.nth(2).locator("option").allTextContents();
      await selects.nth(2).selectOption(seeds[seeds.length - 1]);
      const chosen = await page.evaluate(readExplorer);
      assertEquals(chosen.grid, other.name);
      assertStringIncludes(chosen.summary, expectedSummary(chosen.grid, chosen.lr, chosen.seed));
      assertStringIncludes(chosen.url, `grid=${other.name}`);

      // that URL restores that choice
      await page.goto(`${base}${chosen.url}`, { waitUntil: "load" });
      await page.waitForSelector('[data-widget="run-explorer"] .widget-figures svg');
      const restored = await page.evaluate(readExplorer);
      assertEquals([restored.grid, restored.lr, restored.seed], [
        chosen.grid,
        chosen.lr,
        chosen.seed,
      ]);
      await page.locator('[data-widget="run-explorer"]').screenshot({
        path: `${SHOTS}/run-explorer-${chapter.slice(0, 2)}-chosen.png`,
      });
      assertEquals(foreign, [], "requests outside the folder");
      assertEquals(errors, [], "console or page errors");
    } finally {
      await browser?.close();
      await server.shutdown();
      await Deno.remove(folder, { recursive: true }).catch(() => {});
      const left = await waitForTaggedProcesses(tag, 10_000);
      assertEquals(left.map((p) => p.pid), [], "processes left behind");
    }
  });
}
