"""The HTML report: one page per executed notebook and an index, readable with no network.

Used by `run_notebooks.py html`. Each page:
- hides the input of cells tagged `hide-input` (cells that only set things up or generate prose;
  their outputs stay, and the notebooks themselves keep everything);
- shows SVG outputs inline (nbconvert's sanitizer strips image/svg+xml);
- carries its equations typeset at build time by KaTeX (scripts/typeset_math.ts), with KaTeX's
  stylesheet and fonts copied to katex/ beside the pages: no MathJax, no script, no file:// URL;
- is titled after the notebook's first heading, lists its sections, and links the index and the
  previous and next chapters.

The index lists the chapters, each with the question it answers (the notebook's metadata
`backprop.answers`) and its headline: the output of its cell tagged `headline`, computed by the run.
"""

import html
import json
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html
from nbconvert.preprocessors import TagRemovePreprocessor

HIDE_INPUT_TAG = "hide-input"
HEADLINE_TAG = "headline"
PROVENANCE_TAG = "provenance"
ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = Path(__file__).resolve().parent / "report_template"

# Math in Markdown, the way Jupyter reads it: $$display$$ and $inline$, but not inside code spans
# or fenced code, not an escaped \$, and no blank line inside.
MATH = re.compile(
    r"(?P<fence>^```.*?^```)"
    r"|(?P<code>`[^`]*`)"
    r"|\$\$(?P<display>(?:[^$\\]|\\.)+?)\$\$"
    r"|(?<![\\$])\$(?P<inline>[^\s$](?:(?:[^$\\]|\\.)*?[^\s$\\])?)\$",
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


def with_table_of_contents(body):
    """Insert a list of the page's sections (its h2 headings) after its first h1."""
    sections = re.findall(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', body)
    if not sections:
        return body
    items = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in sections)
    toc = f'<nav class="report-toc">In this chapter:<ol>{items}</ol></nav>'
    return re.sub(r"(</h1>)", lambda m: m.group(1) + toc, body, count=1)


def write_html(paths, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="backprop", extra_template_basedirs=[str(TEMPLATE_DIR)])
    hide = TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_TAG})
    math = MathCollector()
    notebooks, summaries = [], []
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        title = title_of(nb, path.stem)
        nb, _ = hide.preprocess(nb, {})
        inline_svg_outputs(nb)
        math.swap_notebook(nb, path.name)
        notebooks.append((path, nb, title))
        summaries.append((answers_of(nb), headline_of(nb), markdown_output(nb, PROVENANCE_TAG)))
    typeset = math.typeset(out_dir / "katex")
    entries = [(path.stem + ".html", title, path.name) for path, _, title in notebooks]
    for index, (path, nb, title) in enumerate(notebooks):
        resources = {"metadata": {"name": title}, "nav": nav_bar(entries, index)}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = TOKEN.sub(lambda m: typeset[int(m.group(1))], with_table_of_contents(body))
        page = out_dir / entries[index][0]
        page.write_text(body, encoding="utf-8")
        print(f"wrote {page}", flush=True)
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

    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f' <span class="file">{html.escape(name)}</span>{summary(*summaries[i])}</li>'
        for i, (href, title, name) in enumerate(entries)
    )
    index = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Backpropagation, worked in TypeScript notebooks</title>
  <link rel="stylesheet" href="katex/katex.min.css">
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto;
           padding: 0 1rem; line-height: 1.5; color: #222; }}
    li {{ margin: 0.9rem 0; }}
    li p, .headline p {{ margin: 0.2rem 0; }}
    .headline p {{ display: inline; }}
    .provenance {{ margin: 0.2rem 0; font-size: 0.85em; color: #555; overflow-wrap: anywhere; }}
    .file {{ color: #777; font-size: 0.85em; margin-left: 0.5em; }}
  </style>
</head>
<body>
  <h1>Backpropagation, worked in TypeScript notebooks</h1>
  <p>Every notebook was executed top to bottom by the report command before this page was
  written; every number and figure in it comes from that run.</p>
  <ol>
{items}
  </ol>
  <p>Built {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}.</p>
</body>
</html>
"""
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    print(f"wrote {out_dir / 'index.html'}", flush=True)
