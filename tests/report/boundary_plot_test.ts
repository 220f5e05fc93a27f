import { assertEquals, assertStringIncludes } from "@std/assert";
import { boundaryPlot, misclassified } from "../../lib/report/boundary_plot.ts";
import { ScalarNetwork } from "../../lib/scalar/network.ts";

// one hidden unit h = σ(4 x₀); o₁ − o₀ = 4h − 2, so the network answers 1 exactly where x₀ > 0
const network = new ScalarNetwork({ W: [[4], [0]], b: [0], V: [[-2, 2]], c: [2, 0] });
// (1, 0) and (−2, 2) are right, (−1, 0) labelled 1 and (0.5, −3) labelled 0 are wrong
const points = { X: [1, 0, -1, 0, -2, 2, 0.5, -3], y: [1, 1, 0, 0] };

Deno.test("misclassified() returns the points on the wrong side of the decision boundary, with their classes", () => {
  assertEquals(misclassified(network, points), [
    { x0: -1, x1: 0, y: 1 },
    { x0: 0.5, x1: -3, y: 0 },
  ]);
  assertEquals(misclassified(network, { X: [1, 0, -1, 0], y: [1, 0] }), []);
});

Deno.test("boundaryPlot() draws a class panel and a panel per unit in every row, crosses for errors", () => {
  const rows = [{ label: "step 0", network }, { label: "step 9", network }];
  const markup =
    boundaryPlot(rows, { points, units: true, caption: "Figure 3. Two rows" }).outerHTML;
  for (const text of ["P(class 1)", "h₁", "step 0", "step 9", "Two rows"]) {
    assertStringIncludes(markup, `${text}</`);
  }
  // a cross is a path of two strokes through its centre; the two errors of each row
  const crosses = markup.match(/<path d="M-[\d.]+,-[\d.]+L[\d.]+,[\d.]+M-[\d.]+,[\d.]+L/g) ?? [];
  assertEquals(crosses.length, 2 * rows.length);
  // one network alone: no unit panels and no row label; its unit lines labelled unless faint
  const alone = boundaryPlot([{ label: "step 0", network }], { points }).outerHTML;
  assertEquals([alone.includes(">h₁</"), alone.includes(">step 0</")], [false, false]);
  assertStringIncludes(alone, ">unit 1</");
  const faint = boundaryPlot([{ label: "step 0", network }], { unitLines: "faint" }).outerHTML;
  assertEquals(faint.includes(">unit 1</"), false);
});
