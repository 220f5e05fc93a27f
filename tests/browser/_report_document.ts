/**
 * What makes a page of the HTML report a document rather than a notebook dump, read in the page
 * (pass `readDocument` to `page.evaluate`): no plumbing in its text, no In[n]/Out[n] prompts, the
 * shared stylesheet linked and loaded instead of inlined, and its list of figures pointing at
 * figures that are there.
 *
 * @module
 */

/** The document traits of one page, as `readDocument` reads them in the browser. */
export interface DocumentReading {
  /** Lines of the page's text, outside code inputs, that mention quick mode. */
  plumbing: string[];
  /** Prompt elements and prompt texts ("In [3]:", "Out[4]:") on the page. */
  prompts: string[];
  /** The hrefs of the page's stylesheet links. */
  stylesheets: string[];
  /** Rules of the loaded report.css (0 if it did not load). */
  sharedRules: number;
  /** Characters of CSS inlined in `<style>` elements. */
  inlineCss: number;
  /** The list of figures: each entry's label, its link, and what the link leads to. */
  figureList: { label: string; href: string; target: string | null }[];
  /** Anchors of the figures marked on the page (`.report-figure`). */
  figures: string[];
}

/** Reads a page's document traits; runs in the page. */
export function readDocument(): DocumentReading {
  const text = (() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    // code inputs may name quick mode (a settings cell says what it cuts); the reader's text may not
    copy.querySelectorAll(".jp-InputArea-editor, .katex-mathml").forEach((e) => e.remove());
    return copy.textContent ?? "";
  })();
  const lines = text.split("\n").map((line) => line.trim());
  const plumbing = lines.filter((line) => /quick mode/i.test(line));
  const promptTexts = lines.filter((line) => /^(In|Out)\s*\[[\d\s]*\]:/.test(line));
  const promptElements = [...document.querySelectorAll(".jp-InputPrompt, .jp-OutputPrompt")]
    .map((e) => `${e.className}: ${(e.textContent ?? "").trim()}`);
  const stylesheets = [...document.querySelectorAll("link[rel=stylesheet]")]
    .map((link) => link.getAttribute("href") ?? "");
  const shared = [...document.styleSheets].find((sheet) => sheet.href?.endsWith("/report.css"));
  let sharedRules = 0;
  try {
    sharedRules = shared?.cssRules.length ?? 0;
  } catch {
    sharedRules = 0;
  }
  const inlineCss = [...document.querySelectorAll("style")]
    .reduce((sum, style) => sum + (style.textContent ?? "").length, 0);
  const figureList = [...document.querySelectorAll(".report-figures a")].map((a) => {
    const href = a.getAttribute("href") ?? "";
    const target = document.getElementById(decodeURIComponent(href.replace(/^#/, "")));
    const drawn = target?.querySelector("svg, img");
    return {
      label: (a.querySelector("b")?.textContent ?? "").trim(),
      href,
      target: target && drawn ? `${target.id}: ${drawn.tagName.toLowerCase()}` : null,
    };
  });
  const figures = [...document.querySelectorAll(".report-figure")].map((e) => e.id);
  return {
    plumbing,
    prompts: [...promptElements, ...promptTexts],
    stylesheets,
    sharedRules,
    inlineCss,
    figureList,
    figures,
  };
}

/**
 * Whether the element a link's fragment names is on the page, found as a browser finds it: the
 * fragment as written, then percent-decoded (nbconvert's heading ids keep "%25"); runs in the page.
 */
export function hasAnchor(fragment: string): boolean {
  return document.getElementById(fragment) !== null ||
    document.getElementById(decodeURIComponent(fragment)) !== null;
}
