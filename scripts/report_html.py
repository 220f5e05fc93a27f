"""The HTML report: one page per executed notebook and an index, readable with no network.

Used by `run_notebooks.py html`. Each page:
- hides the input of cells tagged `hide-input` (cells that only set things up or generate prose;
  their outputs stay, and the notebooks themselves keep everything);
- shows SVG outputs inline (nbconvert's sanitizer strips image/svg+xml);
- carries its equations typeset at build time by KaTeX (scripts/typeset_math.ts), with KaTeX's
  stylesheet and fonts copied to katex/ beside the pages: no MathJax, no script, no file:// URL;
- is titled after the notebook's first heading, lists its sections and its figures (each output
  captioned "Figure N." gets the anchor `figure-N`), and links the index and the previous and next
  chapters;
- shows no plumbing: no In[n]/Out[n] prompts, no "quick mode: …" line, no empty hidden cell;
- links the one stylesheet, report.css (JupyterLab's, Pygments' and scripts/report_assets/
  report.css), written beside the pages, instead of inlining half a megabyte of it;
- gets a live widget after each code cell tagged `widget:<name>`: `<div data-widget="<name>"
  data-params='<json>'>`, the params being the cell's own application/json output (so page and
  notebook cannot drift), and loads widgets.js, lib/widgets/mod.ts bundled for the browser beside
  the pages (at most WIDGETS_GZIP_BUDGET gzipped), which mounts them. With scripts off the page
  reads as before: a widget only adds.

The index lists the chapters, each with the question it answers (the notebook's metadata
`backprop.answers`), its headline (the output of its cell tagged `headline`, computed by the run)
and its figures; then a table of what the student report got wrong (ERRATA) and where a chapter
shows it, linking the copy of the student report written beside the pages (student-report.html,
rendered from notebooks/student-report.md, and the .md itself).
"""

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, TagRemovePreprocessor
from pygments.formatters import HtmlFormatter
from traitlets.config import Config

HIDE_INPUT_TAG = "hide-input"
HEADLINE_TAG = "headline"
PROVENANCE_TAG = "provenance"
WIDGET_TAG = "widget:"  # a code cell tagged widget:<name> gets that widget after its outputs
WIDGETS_ENTRY = "lib/widgets/mod.ts"
WIDGETS_BUNDLE = "widgets.js"
WIDGETS_GZIP_BUDGET = 300_000  # bytes of widgets.js gzipped (issue 22's budget)
ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = Path(__file__).resolve().parent / "report_template"
ASSETS_DIR = Path(__file__).resolve().parent / "report_assets"
STUDENT_REPORT = Path(__file__).resolve().parent.parent / "notebooks" / "student-report.md"
STYLESHEET = "report.css"
# a stream output the first cell of a notebook prints for whoever runs it, not for the reader
FIGURE_LABEL = 110  # characters of a caption shown in a list of figures
PLUMBING = re.compile(r"^quick mode:")
# a caption "Figure N. …": in an SVG (lib/report/plot.ts draws "Figure N." as a bold tspan, the
# rest as text lines of the same group) or in an HTML figure's figcaption
SVG_CAPTION = re.compile(r"<tspan[^>]*>\s*Figure (\d+)\.\s*</tspan>(.*?)</g>", re.DOTALL)
HTML_CAPTION = re.compile(r"<figcaption[^>]*>\s*Figure (\d+)\.(.*?)</figcaption>", re.DOTALL)

# What the student report got wrong, and where the chapters show it: one row each, in the report's
# order. `wrong` is Markdown (with $TeX$); `report` is the anchor in the student report (its
# "Figure N:" captions become `figure-N`, its headings keep nbconvert's ids); `shown` lists
# (notebook stem, anchor in that chapter's page: a heading's id or `figure-N`). The links' labels
# are read from the pages, so a renamed heading or figure fails the browser test, not a reader.
CH01, CH03 = "01-softmax-cross-entropy-derivatives", "03-scalar-training-synthetic"
CH05, CH06 = "05-mnist-analysis", "06-beyond-the-assignment"
REPRODUCED = "The-report's-experiment,-reproduced-and-taken-apart"
ERRATA = [
    {
        "wrong": r"Equation 6 gives $\partial l/\partial y_i = -1/y_c$ for every $i$; it holds "
        r"only for $i = c$, and every other derivative is 0.",
        "report": "figure-6",
        "shown": [(CH01, "Q1:-the-cross-entropy's-derivative")],
    },
    {
        "wrong": "Equation 7 applies the chain rule without the sum over $i$.",
        "report": "figure-7",
        "shown": [(CH01, "Q2:-the-derivative-of-the-loss-with-respect-to-the-logits")],
    },
    {
        "wrong": "Equations 8 and 9 split the cases by $i = j$, confusing the index $i$ with the "
        "target $c$.",
        "report": "figure-8",
        "shown": [(CH01, "Q2:-the-derivative-of-the-loss-with-respect-to-the-logits")],
    },
    {
        "wrong": r"Equation 10 gives $\partial l/\partial o_i = o_i - y_i$; the gradient is "
        "$y - t$, the prediction minus the one-hot target.",
        "report": "figure-10",
        "shown": [(CH01, "Every-result,-on-random-logits")],
    },
    {
        "wrong": "Q4: the loss of single instances, plotted step by step, looks flat (\"not "
        "clearly decreasing\"); its running mean falls.",
        "report": "figure-12",
        "shown": [(CH03, "The-report's-plot,-redrawn"), (CH03, "figure-3"), (CH03, "figure-4")],
    },
    {
        "wrong": "Q4: it concludes that either nothing about the data is predictable or the "
        "network is not deep enough; the labels are a function of the inputs, and three sigmoid "
        "units fence in the ellipse.",
        "report": "figure-12",
        "shown": [(CH03, "The-learned-decision-boundary")],
    },
    {
        "wrong": r"Q7: weights drawn around a mean of 1, $\mathcal{N}(1, 1)$: the sigmoid units "
        "start saturated, where their slope is almost 0, and alike.",
        "report": "3-Methodology",
        "shown": [(CH05, REPRODUCED), (CH06, "The-initialisation")],
    },
    {
        "wrong": "Q7: its \"1000 epochs\" were 1,000 batches of 50 images, less than one pass "
        "over the training images.",
        "report": "4-Experiments",
        "shown": [(CH05, REPRODUCED)],
    },
    {
        "wrong": "Q7: its loss clipped the probabilities to $[0.0001, 0.9999]$ and was divided by "
        "the number of classes, which hid how high the loss of its start was.",
        "report": "6-A-code-snippet",
        "shown": [(CH05, REPRODUCED)],
    },
    {
        "wrong": "Q7: about 65% validation accuracy, which the setup it describes does not reach.",
        "report": "figure-17",
        "shown": [(CH05, REPRODUCED)],
    },
    {
        "wrong": "Q7: it picked lr 0.3, the largest of the four rates it tried, so it could not "
        "see whether a larger rate does better.",
        "report": "4-Experiments",
        "shown": [(CH05, "Plain-SGD:-eight-learning-rates")],
    },
]

# Math in Markdown, the way Jupyter reads it: $$display$$ and $inline$, but not inside code spans
# or fenced code, not an escaped \$, and no blank line inside.
MATH = re.compile(
    r"(?P<fence>^```.*?^```)"
    r"|(?P<code>`[^`]*`)"
    r"|\$\$(?P<display>(?:[^$\\]|\\.)+?)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:(?:[^$\\]|\\.)*?(?:[^\s$\\]|\\.))?)\$",
    re.DOTALL | re.MULTILINE,
)
TOKEN = re.compile(r"KATEX(\d+)X")


class MathCollector:
    """Swaps each TeX expression for a plain token that Markdown leaves alone, and keeps it."""

    def __init__(self):
        self.expressions = []

    def swap(self, markdown, where):
        def token(match):
            if match.group("fence") or match.group("code"):
                return match.group(0)
            display = match.group("display") is not None
            tex = match.group("display") if display else match.group("inline")
            if "\n\n" in tex:
                return match.group(0)
            self.expressions.append({"tex": tex.strip(), "display": display, "where": where})
            return f"KATEX{len(self.expressions) - 1}X"

        return MATH.sub(token, markdown)

    def swap_notebook(self, nb, name):
        for index, cell in enumerate(nb.cells):
            where = f"{name} cell {index}"
            if cell.cell_type == "markdown":
                cell.source = self.swap(cell.source, where)
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    text = data["text/markdown"]
                    text = text if isinstance(text, str) else "".join(text)
                    data["text/markdown"] = self.swap(text, f"{where} (output)")

    def typeset(self, assets_dir):
        """KaTeX's HTML for every expression, in order; KaTeX's assets go to assets_dir."""
        deno = os.environ.get("DENO", "deno")
        run = subprocess.run(
            [deno, "run", "--allow-read", "--allow-write", str(ROOT / "scripts" / "typeset_math.ts"),
             "--assets", str(assets_dir)],
            input=json.dumps(self.expressions),
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if run.returncode != 0:
            raise RuntimeError(run.stderr.strip() or f"typeset_math.ts exited with {run.returncode}")
        return json.loads(run.stdout)


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def answers_of(nb):
    """The question a chapter answers, from its metadata, or None."""
    return nb.metadata.get("backprop", {}).get("answers")


def markdown_output(nb, tag):
    """The Markdown output of the first cell with the tag, or None."""
    for cell in nb.cells:
        if tag in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text:
                    return (text if isinstance(text, str) else "".join(text)).strip()
    return None


def headline_of(nb):
    """The Markdown output of the cell tagged `headline`, without its bold label, or None."""
    text = markdown_output(nb, HEADLINE_TAG)
    return None if text is None else re.sub(r"^\*\*In one line:\*\*\s*", "", text)


def place_widgets(nb, name):
    """After each code cell tagged `widget:<name>`, a `<div data-widget>` with the cell's params.

    The params are the cell's first application/json output (the notebook computes them from its
    own settings). Returns the names of the widgets placed. A tagged cell without that output (a
    notebook not executed since the cell was added) gets no widget, and is reported on stderr.
    """
    placed = []
    for index, cell in enumerate(nb.cells):
        for tag in cell.metadata.get("tags", []):
            if not tag.startswith(WIDGET_TAG) or cell.cell_type != "code":
                continue
            widget = tag[len(WIDGET_TAG):]
            params = next((output["data"]["application/json"] for output in cell.get("outputs", [])
                           if "application/json" in output.get("data", {})), None)
            if params is None:
                print(f"report_html: {name} cell {index}, tagged {tag}: no application/json output "
                      "(the widget's params), so no widget: execute the notebook", file=sys.stderr)
                continue
            data = WIDGET_DATA[widget](params) if widget in WIDGET_DATA else ""
            div = (f'<div class="report-widget" data-widget="{html.escape(widget)}" '
                   f"data-params='{html.escape(json.dumps(params))}'>{data}</div>")
            cell.outputs.append(nbformat.v4.new_output("display_data", data={"text/html": div}))
            placed.append(widget)
    return placed


def run_explorer_data(params):
    """The run explorer's data: its grids exported from data/results/ (scripts/export_runs.ts),
    as a `<script type="application/json" class="widget-data">` inside its element, so that the
    page needs no request (it reads from file:// too)."""
    deno = os.environ.get("DENO", "deno")
    names = [grid["name"] for grid in params["grids"]]
    run = subprocess.run(
        [deno, "run", "--allow-read", "--allow-env", "--allow-ffi", "--allow-sys",
         str(ROOT / "scripts" / "export_runs.ts"), *names],
        capture_output=True, text=True, cwd=ROOT,
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip() or f"export_runs.ts exited with {run.returncode}")
    text = run.stdout.strip().replace("</", "<\\/")
    print(f"report_html: run explorer data for {len(names)} grids, {len(text):,} bytes "
          f"({len(gzip.compress(text.encode(), compresslevel=9)):,} gzipped)", flush=True)
    return f'<script type="application/json" class="widget-data">{text}</script>'


def mnist_training_assets(out_dir):
    """The MNIST widget's files beside widgets.js (lib/widgets/mnist_training.ts's
    MNIST_WIDGET_FILES): its Worker bundled, the MNIST subset (scripts/export_mnist_subset.ts) and
    the wasm kernels' builds with their manifest (scripts/build_wasm.ts, as wasm/kernels.json)."""
    deno = os.environ.get("DENO", "deno")
    for args in (
        ["bundle", "--quiet", "--platform", "browser", "--minify", "lib/widgets/mnist_worker.ts",
         "-o", str(out_dir / "mnist_worker.js")],
        ["run", "--allow-read", "--allow-write", "--allow-env", "scripts/export_mnist_subset.ts",
         "--out", str(out_dir)],
        ["run", "--allow-read", "--allow-write", "scripts/build_wasm.ts"],
    ):
        run = subprocess.run([deno, *args], capture_output=True, text=True, cwd=ROOT)
        if run.returncode != 0:
            raise RuntimeError(f"deno {' '.join(args[:2])} for the MNIST widget failed: "
                               + (run.stderr.strip() or f"exit {run.returncode}"))
    manifests = sorted((ROOT / "build" / "wasm").glob("kernels-*.json"))
    manifest = json.loads(manifests[-1].read_text())
    (out_dir / "wasm").mkdir(exist_ok=True)
    shutil.copyfile(manifests[-1], out_dir / "wasm" / "kernels.json")
    for variant in manifest["variants"].values():
        shutil.copyfile(ROOT / "build" / "wasm" / variant["file"], out_dir / "wasm" / variant["file"])
    return [out_dir / "mnist-subset.bin.gz"]


# what a widget reads besides its params, built into its element: by widget name
WIDGET_DATA = {"run-explorer": run_explorer_data}
# the files a widget loads beside the pages, written once: by widget name, each returning the
# data files among them (counted against WIDGET_DATA_BUDGET)
WIDGET_ASSETS = {"mnist-training": mnist_training_assets}
WIDGET_DATA_BUDGET = 2_000_000  # bytes of data shipped for the widgets (issue 22's budget)


def check_widget_data(out_dir, notebooks):
    """Writes the placed widgets' files (WIDGET_ASSETS) and checks the data shipped for all of
    them, embedded in the pages (WIDGET_DATA) or beside them, against WIDGET_DATA_BUDGET."""
    placed = {name for *_, widgets in notebooks for name in widgets}
    files = [path for name in sorted(placed & WIDGET_ASSETS.keys())
             for path in WIDGET_ASSETS[name](out_dir)]
    embedded = sum(len(output["data"]["text/html"].encode())
                   for _, nb, *__ in notebooks for cell in nb.cells
                   for output in cell.get("outputs", [])
                   if 'class="widget-data"' in output.get("data", {}).get("text/html", ""))
    total = embedded + sum(path.stat().st_size for path in files)
    print(f"report_html: widget data {total:,} bytes ({embedded:,} in the pages, "
          f"{total - embedded:,} in files; budget {WIDGET_DATA_BUDGET:,})", flush=True)
    if total > WIDGET_DATA_BUDGET:
        raise RuntimeError(f"the widgets ship {total:,} bytes of data, over the budget of "
                           f"{WIDGET_DATA_BUDGET:,} bytes (issue 22)")


def bundle_widgets(out_dir):
    """Bundles lib/widgets/mod.ts for the browser, minified, into out_dir/widgets.js; returns its
    gzipped size.

    Fails if the bundle cannot be built or is larger than WIDGETS_GZIP_BUDGET gzipped.
    """
    deno = os.environ.get("DENO", "deno")
    target = out_dir / WIDGETS_BUNDLE
    run = subprocess.run(
        [deno, "bundle", "--quiet", "--platform", "browser", "--minify", WIDGETS_ENTRY, "-o", str(target)],
        capture_output=True, text=True, cwd=ROOT,
    )
    if run.returncode != 0:
        raise RuntimeError(f"deno bundle {WIDGETS_ENTRY} failed: "
                           + (run.stderr.strip() or f"exit {run.returncode}"))
    code = target.read_bytes()
    size = len(gzip.compress(code, compresslevel=9))
    print(f"wrote {target}: {len(code):,} bytes, {size:,} gzipped "
          f"(budget {WIDGETS_GZIP_BUDGET:,})", flush=True)
    if size > WIDGETS_GZIP_BUDGET:
        raise RuntimeError(f"{WIDGETS_BUNDLE} is {size:,} bytes gzipped, over the budget of "
                           f"{WIDGETS_GZIP_BUDGET:,} bytes (issue 22): {WIDGETS_ENTRY} imports too much")
    return size


def inline_svg_outputs(nb):
    """Show each image/svg+xml output as inline SVG markup in the HTML page.

    nbconvert passes image/svg+xml outputs through its HTML sanitizer, which strips every SVG
    element (only the text survives); the same markup as a text/html output is kept as it is.
    The notebook file itself keeps its image/svg+xml outputs (GitHub and VS Code show them).
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data and "text/html" not in data:
                svg = data["image/svg+xml"]
                data["text/html"] = svg if isinstance(svg, str) else "".join(svg)


def nav_bar(entries, index):
    """Links to the index and to the previous and next pages."""
    links = ['<a href="index.html">Contents</a>']
    if index > 0:
        href, title, _ = entries[index - 1]
        links.append(f'<a href="{html.escape(href)}">&larr; {html.escape(title)}</a>')
    if index + 1 < len(entries):
        href, title, _ = entries[index + 1]
        links.append(f'<a href="{html.escape(href)}">{html.escape(title)} &rarr;</a>')
    return '<nav class="report-nav">' + "".join(f"<span>{link}</span>" for link in links) + "</nav>"


def drop_plumbing(nb):
    """Drop the "quick mode: …" stream outputs, then every code cell left with nothing to show.

    A cell whose input is hidden (tagged `hide-input`) and that has no output would be an empty box.
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                output for output in cell.get("outputs", [])
                if not (output.output_type == "stream" and PLUMBING.match(text_of(output.text)))
            ]
    nb.cells = [
        cell for cell in nb.cells
        if not (cell.cell_type == "code" and not cell.outputs
                and HIDE_INPUT_TAG in cell.metadata.get("tags", []))
    ]


def text_of(value):
    return value if isinstance(value, str) else "".join(value)


def plain_text(markup):
    """The text of a piece of HTML or SVG: tags dropped, a text line's end made a space."""
    markup = re.sub(r"</(text|div|p|br)>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def mark_figures(nb):
    """Give each output captioned "Figure N." the anchor `figure-N`; returns [(anchor, caption)].

    The output's HTML (inline SVG included, see inline_svg_outputs) is wrapped in a
    `<div class="report-figure" id="figure-N">`; a second figure with the same number gets
    `figure-N-2`, and so on.
    """
    figures, used = [], set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" not in data:
                continue
            markup = text_of(data["text/html"])
            found = [m for m in (SVG_CAPTION.search(markup), HTML_CAPTION.search(markup)) if m]
            if not found:
                continue
            match = min(found, key=lambda m: m.start())
            number = match.group(1)
            anchor, copy = f"figure-{number}", 1
            while anchor in used:
                copy += 1
                anchor = f"figure-{number}-{copy}"
            used.add(anchor)
            figures.append((anchor, f"Figure {number}. {plain_text(match.group(2))}"))
            data["text/html"] = f'<div class="report-figure" id="{anchor}">{markup}</div>'
    return figures


def figure_list(figures, href=""):
    """An <ol> of the figures, each its number in bold and its caption's first sentence, linked.

    A first sentence longer than FIGURE_LABEL characters is cut at a word; the whole caption is the
    link's title.
    """
    def item(anchor, caption):
        number, _, rest = caption.partition(". ")
        first = re.split(r"(?<=\.)\s", rest, maxsplit=1)[0]
        if len(first) > FIGURE_LABEL:
            first = first[:FIGURE_LABEL].rsplit(" ", 1)[0].rstrip(",;:") + " …"
        return (f'<li><a href="{html.escape(href)}#{anchor}" title="{html.escape(caption)}">'
                f"<b>{html.escape(number)}.</b> {html.escape(first)}</a></li>")

    return "<ol>" + "".join(item(anchor, caption) for anchor, caption in figures) + "</ol>"


def nav_bar(entries, index):
    """Links to the index and to the previous and next pages."""
    links = ['<a href="index.html">Contents</a>']
    if index > 0:
        href, title = entries[index - 1][:2]
        links.append(f'<a href="{html.escape(href)}">&larr; {html.escape(title)}</a>')
    if index + 1 < len(entries):
        href, title = entries[index + 1][:2]
        links.append(f'<a href="{html.escape(href)}">{html.escape(title)} &rarr;</a>')
    return '<nav class="report-nav">' + "".join(f"<span>{link}</span>" for link in links) + "</nav>"


def sections_of(body):
    """The (id, title) of each h2 and h3 heading of a page."""
    headings = re.findall(r'<h[23] id="([^"]+)">(.*?)<a class="anchor-link"', body)
    return [(anchor, plain_text(title)) for anchor, title in headings]


def with_contents(body, figures):
    """Insert the page's sections (its h2 headings) and its figures after its first h1."""
    sections = re.findall(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', body)
    parts = []
    if sections:
        items = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in sections)
        parts.append(f'<nav class="report-toc">In this chapter:<ol>{items}</ol></nav>')
    if figures:
        parts.append(f'<nav class="report-figures">Figures:{figure_list(figures)}</nav>')
    contents = f'<div class="report-contents">{"".join(parts)}</div>' if parts else ""
    return re.sub(r"(</h1>)", lambda m: m.group(1) + contents, body, count=1)


def to_student_report(body):
    """Point the links to the student report at its copy beside the pages."""
    return re.sub(r'href="[^"]*student-report\.md"', 'href="student-report.html"', body)


def write_stylesheet(exporter, out_dir):
    """report.css: JupyterLab's light theme, Pygments' colours and the report's own styles."""
    env = exporter.environment
    parts = [env.loader.get_source(env, name)[0]
             for name in ("static/index.css", "static/theme-light.css")]
    pygments = HtmlFormatter(style=CSSHTMLHeaderPreprocessor().style)
    parts.append(pygments.get_style_defs(".highlight"))
    parts.append((ASSETS_DIR / "report.css").read_text(encoding="utf-8"))
    (out_dir / STYLESHEET).write_text("\n".join(parts), encoding="utf-8")


def prose_page(title, body):
    """A page of prose (the index, the student report) linking the shared stylesheets."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>{html.escape(title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="{STYLESHEET}">
  <link rel="stylesheet" href="katex/katex.min.css">
</head>
<body class="report-page">
{body}
</body>
</html>
"""


def student_report_body(markdown, typeset):
    """The student report's HTML: its "Figure N:" captions get the anchor `figure-N`."""
    body = TOKEN.sub(lambda m: typeset[int(m.group(1))], markdown2html(markdown))
    return re.sub(r"<p>(Figure (\d+):)", r'<p id="figure-\2">\1', body)


def errata_table(wrongs, pages, report_labels, typeset):
    """The table of ERRATA, each row linked to the student report and to the chapters' anchors.

    `wrongs` holds each row's `wrong` with its TeX swapped for tokens (MathCollector.swap); `pages`
    maps a notebook stem to (href, {anchor: label}), `report_labels` the student report's anchors to
    theirs. An anchor missing from a page that was written is still linked (the browser test fails
    on it) and reported on stderr.
    """
    rows = []
    for row, markdown in zip(ERRATA, wrongs):
        wrong = TOKEN.sub(lambda m: typeset[int(m.group(1))], markdown2html(markdown))
        links = []
        for stem, anchor in row["shown"]:
            href, labels = pages.get(stem, (f"{stem}.html", {}))
            if stem in pages and anchor not in labels:
                print(f"report_html: no anchor #{anchor} in {href} (ERRATA)", file=sys.stderr)
            label = f"{stem[:2]}, {labels.get(anchor, anchor)}"
            links.append(f'<a href="{html.escape(href)}#{html.escape(anchor)}">'
                         f"{html.escape(label)}</a>")
        label = report_labels.get(row["report"], row["report"])
        if row["report"] not in report_labels:
            print(f"report_html: no anchor #{row['report']} in the student report (ERRATA)",
                  file=sys.stderr)
        report = (f'<a href="student-report.html#{html.escape(row["report"])}">'
                  f"{html.escape(label)}</a>")
        rows.append(f"<tr><td>{wrong}</td><td>{report}</td><td>{'<br>'.join(links)}</td></tr>")
    return ('<table class="errata"><thead><tr><th>What the student report got wrong</th>'
            "<th>In the report</th><th>Where a chapter shows it</th></tr></thead><tbody>"
            + "\n".join(rows) + "</tbody></table>")


def write_html(paths, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(
        template_name="backprop",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # its Pygments stylesheet goes into report.css instead of every page
        config=Config({"CSSHTMLHeaderPreprocessor": {"enabled": False}}),
    )
    hide = TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG})
    math = MathCollector()
    notebooks, summaries = [], []
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        title = title_of(nb, path.stem)
        drop_plumbing(nb)
        widgets = place_widgets(nb, path.name)
        nb, _ = hide.preprocess(nb, {})
        inline_svg_outputs(nb)
        figures = mark_figures(nb)
        math.swap_notebook(nb, path.name)
        notebooks.append((path, nb, title, figures, widgets))
        summaries.append((answers_of(nb), headline_of(nb), markdown_output(nb, PROVENANCE_TAG)))
    report_md = STUDENT_REPORT.read_text(encoding="utf-8")
    report_md = math.swap(report_md, STUDENT_REPORT.name)
    errata = [math.swap(row["wrong"], "ERRATA") for row in ERRATA]
    typeset = math.typeset(out_dir / "katex")
    write_stylesheet(exporter, out_dir)
    entries = [(path.stem + ".html", title, path.name) for path, _, title, *_ in notebooks]
    if any(widgets for *_, widgets in notebooks):
        bundle_widgets(out_dir)
        check_widget_data(out_dir, notebooks)
    pages = {}
    for index, (path, nb, title, figures, widgets) in enumerate(notebooks):
        script = f'<script type="module" src="{WIDGETS_BUNDLE}"></script>' if widgets else ""
        resources = {"metadata": {"name": title}, "nav": nav_bar(entries, index),
                     "inlining": {"css": []}, "widget_script": script}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = to_student_report(with_contents(body, figures))
        body = TOKEN.sub(lambda m: typeset[int(m.group(1))], body)
        labels = {anchor: f"§ {title}" for anchor, title in sections_of(body)}
        labels.update({anchor: caption.split(". ")[0] for anchor, caption in figures})
        pages[path.stem] = (entries[index][0], labels)
        page = out_dir / entries[index][0]
        page.write_text(body, encoding="utf-8")
        print(f"wrote {page}", flush=True)

    shutil.copyfile(STUDENT_REPORT, out_dir / STUDENT_REPORT.name)
    report_page = out_dir / "student-report.html"
    report_body = student_report_body(report_md, typeset)
    report_labels = {anchor: f"§ {plain_text(title)}" for anchor, title in re.findall(
        r'<h[1-6] id="([^"]+)">(.*?)<a class="anchor-link"', report_body)}
    report_labels.update({f"figure-{n}": f"Figure {n}"
                          for n in re.findall(r'<p id="figure-(\d+)">', report_body)})
    report_page.write_text(prose_page("The student report", (
        '<nav class="report-nav"><span><a href="index.html">Contents</a></span>'
        f'<span><a href="{STUDENT_REPORT.name}">{STUDENT_REPORT.name}</a></span></nav>\n'
        "<p><i>The student report these chapters redo, as submitted (a copy of its text; its "
        "plots were not kept). The contents page lists what it got wrong and where a chapter "
        "shows it.</i></p>\n" + report_body)), encoding="utf-8")
    print(f"wrote {report_page}", flush=True)

    def summary(answers, headline, provenance):
        parts = []
        if answers:
            parts.append(f'<p class="answers"><b>What it answers:</b> {html.escape(answers)}</p>')
        if headline:
            rendered = TOKEN.sub(lambda m: typeset[int(m.group(1))], markdown2html(headline))
            parts.append(f'<div class="headline"><b>Headline:</b> {rendered}</div>')
        if provenance:
            # the line of the chapter's cell tagged `provenance`: its runs reused and trained
            parts.append(f'<p class="provenance">{html.escape(provenance)}</p>')
        return "".join(parts)

    def figures_of(href, figures):
        if not figures:
            return ""
        return (f'<details class="figures"><summary>{len(figures)} '
                f'figure{"s" if len(figures) > 1 else ""}</summary>'
                f"{figure_list(figures, href)}</details>")

    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f' <span class="file">{html.escape(name)}</span>{summary(*summaries[i])}'
        f"{figures_of(href, notebooks[i][3])}</li>"
        for i, (href, title, name) in enumerate(entries)
    )
    index = prose_page("Backpropagation, worked in TypeScript notebooks", f"""\
  <h1>Backpropagation, worked in TypeScript notebooks</h1>
  <p>Every notebook was executed top to bottom by the report command before this page was
  written; every number and figure in it comes from that run.</p>
  <ol class="chapters">
{items}
  </ol>
  <h2 id="student-report">What the student report got wrong</h2>
  <p>These chapters redo a student's report on the same assignment (<a
  href="student-report.html">the student report</a>, also as <a
  href="{STUDENT_REPORT.name}">Markdown</a>). Where it went wrong, and the chapter that shows
  it:</p>
  {errata_table(errata, pages, report_labels, typeset)}
  <p>Built {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.</p>""")
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    print(f"wrote {out_dir / 'index.html'}", flush=True)
