"""Tests of scripts/report_html.py: what the HTML report leaves out and what it marks.

The pieces run on notebooks built in memory; one case writes the pages of a throwaway notebook
(KaTeX through `deno`, found on PATH or in DENO). Run by tests/scripts/report_html_test.ts:

    python3 tests/scripts/report_html_test.py [ReportHtmlTest.test_name ...]
"""

import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import report_html  # noqa: E402

SVG = ('<svg width="300" height="200"><rect width="10" height="10"/>'
       '<g transform="translate(0, 180)"><text y="19"><tspan font-weight="bold">Figure {n}.</tspan>'
       ' The loss per epoch, as its Figure 12</text><text y="35">draws it.</text></g></svg>')


def stream(text):
    return new_output("stream", name="stdout", text=text)


def html_output(markup):
    return new_output("display_data", data={"text/html": markup, "text/plain": "figure"})


class ReportHtmlTest(unittest.TestCase):
    def test_the_quick_mode_line_and_the_cell_left_empty_are_dropped(self):
        nb = new_notebook(cells=[
            new_code_cell("const QUICK = …;", metadata={"tags": ["hide-input"]},
                          outputs=[stream("quick mode: false\n")]),
            new_code_cell("log()", outputs=[stream("quick mode: true\n"), stream("loss 0.5\n")]),
            new_code_cell("note()", outputs=[stream("in quick mode: the tests\n")]),
        ])
        report_html.drop_plumbing(nb)
        self.assertEqual([cell.source for cell in nb.cells], ["log()", "note()"])
        self.assertEqual([o.text for o in nb.cells[0].outputs], ["loss 0.5\n"])
        self.assertEqual([o.text for o in nb.cells[1].outputs], ["in quick mode: the tests\n"])

    def test_captioned_figures_get_anchors_and_their_captions_in_order(self):
        nb = new_notebook(cells=[
            new_code_cell("plot()", outputs=[html_output(SVG.format(n=1))]),
            new_code_cell("table()", outputs=[html_output("<table><tr><td>1</td></tr></table>")]),
            new_code_cell("grid()", outputs=[html_output(
                '<figure><figcaption style="x">Figure 2. The first <b>30</b> images</figcaption>'
                '<img src="data:image/png;base64,AA=="></figure>')]),
            new_code_cell("plot()", outputs=[html_output(SVG.format(n=1))]),
        ])
        figures = report_html.mark_figures(nb)
        self.assertEqual(figures, [
            ("figure-1", "Figure 1. The loss per epoch, as its Figure 12 draws it."),
            ("figure-2", "Figure 2. The first 30 images"),
            ("figure-1-2", "Figure 1. The loss per epoch, as its Figure 12 draws it."),
        ])
        marked = [re.findall(r'id="(figure-[^"]+)"', o.data["text/html"])
                  for cell in nb.cells for o in cell.outputs]
        self.assertEqual(marked, [["figure-1"], [], ["figure-2"], ["figure-1-2"]])

    def test_a_long_caption_is_cut_at_a_word_in_the_list_of_figures(self):
        caption = "Figure 3. " + "word " * 40 + "end. Second sentence."
        listed = report_html.figure_list([("figure-3", caption)], "page.html")
        self.assertIn('href="page.html#figure-3"', listed)
        shown = re.search(r"</b> (.*?)</a>", listed).group(1)
        self.assertTrue(shown.endswith("word …"), shown)
        self.assertLessEqual(len(shown), report_html.FIGURE_LABEL + 2)
        self.assertNotIn("Second", shown)

    def test_the_pages_link_one_stylesheet_and_show_no_prompts(self):
        folder = Path(tempfile.mkdtemp(prefix="report-html-test-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        nb = new_notebook(cells=[
            new_markdown_cell("# A chapter\n\n## Its section\n\nWith $x^2$."),
            new_code_cell("1 + 1", execution_count=3, outputs=[
                new_output("execute_result", execution_count=3, data={"text/plain": "2"}),
                html_output(SVG.format(n=1)),
            ]),
        ])
        nb.metadata["backprop"] = {"answers": "Whether it works."}
        path = folder / "01-chapter.ipynb"
        nbformat.write(nb, path)
        report_html.write_html([path], folder / "out")
        page = (folder / "out" / "01-chapter.html").read_text(encoding="utf-8")
        self.assertIn('<link rel="stylesheet" href="report.css">', page)
        self.assertLess(sum(map(len, re.findall(r"<style.*?</style>", page, re.DOTALL))), 1000)
        self.assertNotRegex(page, r"(In|Out)(&nbsp;|\s)?\[\s*\d*\s*\]:")
        self.assertIn('<a href="#figure-1"', page)
        css = (folder / "out" / "report.css").read_text(encoding="utf-8")
        self.assertIn(".jp-Notebook", css)  # JupyterLab's
        self.assertIn(".highlight", css)  # Pygments'
        self.assertIn(".report-nav", css)  # the report's own
        for name in ("index.html", "student-report.html", "student-report.md"):
            self.assertTrue((folder / "out" / name).is_file(), name)


if __name__ == "__main__":
    unittest.main()
