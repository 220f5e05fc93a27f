import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { activationCurves, activationPlot } from "../../lib/report/activation_plot.ts";

Deno.test("activationCurves() gives each activation's value and slope at known points", () => {
  const at = (name: string, k: number) =>
    activationCurves({ kMax: 2, points: 5 }).find((p) => p.activation === name && p.k === k)!;
  assertEquals([at("sigmoid", 0).value, at("sigmoid", 0).slope], [0.5, 0.25]);
  assertEquals([at("tanh", 0).value, at("tanh", 0).slope], [0, 1]);
  assertEquals([at("relu", -1).value, at("relu", -1).slope, at("relu", 2).slope], [0, 0, 1]);
  assertEquals(at("relu", 2).value, 2);
});

Deno.test("activationCurves() slopes match central differences of the values", () => {
  const points = activationCurves({ kMax: 4, points: 801 }); // steps of 0.01
  for (const name of ["sigmoid", "tanh"]) {
    const curve = points.filter((p) => p.activation === name);
    for (let i = 1; i + 1 < curve.length; i += 40) {
      const difference = (curve[i + 1].value - curve[i - 1].value) /
        (curve[i + 1].k - curve[i - 1].k);
      assertAlmostEquals(curve[i].slope, difference, 1e-3, `${name} at k = ${curve[i].k}`);
    }
  }
});

Deno.test("activationPlot() draws one panel per activation, slopes dashed, flat inputs shaded", () => {
  const markup = activationPlot({ caption: "Figure 1. Activations.", threshold: 0.02 }).outerHTML;
  for (const name of ["sigmoid", "tanh", "relu"]) assertStringIncludes(markup, `>${name}</text>`);
  assertStringIncludes(markup, 'stroke-dasharray="5,3"');
  assertStringIncludes(markup, "flat: f′ &lt; 0.02");
  assert(markup.includes("<path") && markup.includes("Figure 1."));
});
