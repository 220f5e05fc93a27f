// The HTML report as a reader elsewhere gets it: built from the committed notebooks by the report
// command's own step (`run_notebooks.py html`), copied to a folder of its own, served over HTTP,
// and opened page by page in Debian's Chromium. Each page must have its title, typeset equations
// (no raw `$…$` or `\frac` left in its prose), every figure drawn (a non-empty SVG or a decoded
// image), and load nothing from anywhere but the copy. And it must read as a document: no "quick
// mode" line and no In[n]/Out[n] prompt, the one shared stylesheet linked and loaded (no
// stylesheet inlined), a list of its figures whose links lead to them; the index's table of what
// the student report got wrong must link anchors that exist, in the chapters and in the copy of
// the student report. No page may log an error (the live widgets run in them).
import { assert, assertEquals } from "@std/assert";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./_chromium.ts";
import { type DocumentReading, hasAnchor, readDocument } from "./_report_document.ts";
import { buildReportPages } from "./_report_build.ts";
import { serveFolder } from "./_serve_folder.ts";
import { waitForTaggedProcesses } from "./_tagged_processes.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const notebooks = [...Deno.readDirSync(`${root}notebooks`)]
  .map((entry) => entry.name).filter((name) => name.endsWith(".ipynb")).sort();

/** More CSS than this inlined in a page's `<style>` elements is a stylesheet that was not shared. */
const MAX_INLINE_CSS = 20_000;

/** What one page shows, read in the browser. */
interface PageReading {
  title: string;
  rawTex: string[];
  katex: number;
  emptySvgs: string[];
  svgs: number;
  brokenImages: number;
  images: number;
}

function readPage(): PageReading {
  // runs in the page: prose is the rendered Markdown of cells and of Markdown outputs
  const prose = [...document.querySelectorAll(".jp-RenderedMarkdown")]
    .map((element) => (element as HTMLElement).innerText).join("\n");
  const rawTex = [
    ...(prose.match(/\$[^$\s][^$\n]{0,60}\$/g) ?? []),
    ...(prose.match(/\\(frac|sum|log|cdot|sigma|partial)\b/g) ?? []),
  ];
  const svgs = [...document.querySelectorAll(".jp-OutputArea-output svg")]
    // not an svg inside another, a KaTeX glyph, nor the swatch icon of one of Plot's HTML legends
    .filter((svg) => !svg.parentElement?.closest("svg, .katex, [class*='-swatch']"));
  const emptySvgs = svgs.flatMap((svg) => {
    const box = svg.getBoundingClientRect();
    const drawn = svg.querySelectorAll("path, circle, rect, line, text, image").length;
    return box.width < 10 || box.height < 10 || drawn < 3
      ? [
        `${Math.round(box.width)}×${Math.round(box.height)} px, ${drawn} marks: ` +
        svg.outerHTML.slice(0, 120),
      ]
      : [];
  });
  const images = [...document.querySelectorAll(".jp-OutputArea-output img")] as HTMLImageElement[];
  return {
    title: document.title,
    rawTex,
    katex: document.querySelectorAll(".katex").length,
    emptySvgs,
    svgs: svgs.length,
    brokenImages: images.filter((image) => !image.complete || image.naturalWidth === 0).length,
    images: images.length,
  };
}

/** The document checks every page passes (index, chapters, student report). */
function assertDocument(reading: DocumentReading, where: string): void {
  assertEquals(reading.plumbing, [], `${where} plumbing in the text`);
  assertEquals(reading.prompts, [], `${where} In[n]/Out[n] prompts`);
  assert(
    reading.stylesheets.includes("report.css"),
    `${where} report.css not linked (${reading.stylesheets})`,
  );
  assert(reading.sharedRules > 100, `${where} report.css did not load`);
  assert(
    reading.inlineCss < MAX_INLINE_CSS,
    `${where} ${reading.inlineCss} characters of CSS inlined`,
  );
}

Deno.test("report pages: served from a copy, every page titled, typeset and drawn", async () => {
  const folder = await Deno.makeTempDir({ prefix: "backprop-report-copy-" });
  const tag = `report-pages-${crypto.randomUUID()}`;
  const server = serveFolder(folder);
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    await buildReportPages(folder, notebooks);

    const base = `http://127.0.0.1:${server.addr.port}/`;
    browser = await launchChromium({ tag });
    const page = await browser.context.newPage();
    const foreign: string[] = [], failed: string[] = [], errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      errors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith("data:")) {
        foreign.push(request.url());
      }
    });
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(base);
    const links = await page.locator("ol.chapters > li > a").evaluateAll((anchors) =>
      anchors.map((a) => (a as HTMLAnchorElement).getAttribute("href")!)
    );
    assertEquals(links, notebooks.map((name) => name.replace(/\.ipynb$/, ".html")));
    // the index says, per chapter, what it answers and its headline (a number from the run)
    const chapters = await page.locator("ol.chapters > li").evaluateAll((items) =>
      items.map((li) => {
        // the visible text: without KaTeX's MathML copy, which holds the TeX source
        const text = (selector: string) => {
          const element = li.querySelector(selector)?.cloneNode(true) as Element | undefined;
          element?.querySelectorAll(".katex-mathml").forEach((m) => m.remove());
          return (element?.textContent ?? "").replace(/\s+/g, " ").trim();
        };
        return { answers: text(".answers"), headline: text(".headline") };
      })
    );
    assertEquals(chapters.length, notebooks.length);
    chapters.forEach(({ answers, headline }, i) => {
      assert(
        /^What it answers: \S/.test(answers),
        `index, ${notebooks[i]}: no question stated (${answers})`,
      );
      assert(
        /^Headline: .*\d/.test(headline),
        `index, ${notebooks[i]}: no headline with a number (${headline})`,
      );
      assert(
        !/\$|\\frac|\\partial/.test(headline),
        `index, ${notebooks[i]}: raw TeX in the headline (${headline})`,
      );
    });
    assertDocument(await page.evaluate(readDocument), "index:");
    // the table of what the student report got wrong: each row links the student report and a
    // chapter; every link of the index with a fragment (the table's, the lists of figures') is
    // followed below
    const errata = await page.locator("table.errata tbody tr").evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll("a")].map((a) => (a as HTMLAnchorElement).getAttribute("href")!)
      )
    );
    assert(errata.length >= 5, `index: ${errata.length} rows in the table of the report's errors`);
    errata.forEach((hrefs, i) => {
      assert(
        hrefs.some((href) => href.startsWith("student-report.html#")),
        `index, row ${i + 1}: no link to the student report (${hrefs})`,
      );
      assert(
        hrefs.some((href) => /^\d\d-[^#]+\.html#./.test(href)),
        `index, row ${i + 1}: no link to a chapter (${hrefs})`,
      );
    });
    const anchored = await page.locator("a[href*='#']").evaluateAll((anchors) =>
      anchors.map((a) => (a as HTMLAnchorElement).getAttribute("href")!)
    );
    const reportMd = await page.request.get(base + "student-report.md");
    assertEquals(reportMd.status(), 200, "index: student-report.md is not beside the pages");
    assert((await reportMd.text()).includes("Question 1"), "student-report.md: not the report");
    await page.screenshot({ path: `${root}build/browser-test/report-index.png`, fullPage: true });

    for (const [i, link] of links.entries()) {
      await page.goto(base + link, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      const reading = await page.evaluate(readPage);
      const where = `${link}:`;
      const heading = await page.locator("h1").first().innerText();
      assertEquals(reading.title, heading.replace(/¶$/, "").trim(), `${where} title`);
      assertEquals(reading.rawTex, [], `${where} TeX left untypeset in the prose`);
      assertEquals(reading.emptySvgs, [], `${where} empty SVG figures (of ${reading.svgs})`);
      assertEquals(
        reading.brokenImages,
        0,
        `${where} ${reading.brokenImages} of ${reading.images} images did not load`,
      );
      if (i > 0) assert(reading.svgs + reading.images > 0, `${where} no figure at all`);
      const doc = await page.evaluate(readDocument);
      assertDocument(doc, where);
      assertEquals(
        doc.figureList.map((f) => f.href),
        doc.figures.map((id) => `#${id}`),
        `${where} the list of figures is not the figures of the page`,
      );
      for (const figure of doc.figureList) {
        assert(figure.target !== null, `${where} ${figure.href} leads to no figure`);
        assertEquals(
          figure.label,
          figure.href.replace(/^#figure-(\d+).*/, "Figure $1."),
          `${where} ${figure.href} is labelled ${figure.label}`,
        );
      }
      // every link within the page (references, the map of a chapter, figures) has its anchor
      const inPage = await page.locator("a[href^='#']").evaluateAll((anchors) =>
        anchors.map((a) => (a as HTMLAnchorElement).getAttribute("href")!.slice(1))
      );
      const unresolved: string[] = [];
      for (const id of new Set(inPage)) {
        if (!(await page.evaluate(hasAnchor, id))) unresolved.push(`#${id}`);
      }
      assertEquals(unresolved, [], `${where} links to anchors the page does not have`);
      await page.screenshot({ path: `${root}build/browser-test/report-${i + 1}.png` });
    }

    await page.goto(base + "student-report.html", { waitUntil: "load" });
    assertDocument(await page.evaluate(readDocument), "student-report.html:");
    assert(
      (await page.evaluate(readPage)).katex > 10,
      "student-report.html: its equations are not typeset",
    );
    const pages = Map.groupBy(anchored, (href) => href.split("#")[0]);
    const missing: string[] = [];
    for (const [target, hrefs] of pages) {
      await page.goto(base + target, { waitUntil: "load" });
      for (const href of hrefs) {
        if (!(await page.evaluate(hasAnchor, href.split("#")[1]))) missing.push(href);
      }
    }
    assertEquals(missing, [], "index: links to anchors their pages do not have");

    assertEquals(foreign, [], "the report loaded resources from outside its folder");
    assertEquals(failed, [], "the report asked for files its folder does not have");
    assertEquals(errors, [], "errors in the pages' consoles (the live widgets' among them)");
  } finally {
    await browser?.close();
    await server.shutdown();
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    const left = await waitForTaggedProcesses(tag, 10_000);
    assertEquals(left.map((p) => p.pid), [], "processes left behind");
  }
});
