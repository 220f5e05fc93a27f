import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { Plot, plot } from "../../lib/report/plot.ts";

const rows = [0.01, 0.04, 0.2, 0.7].flatMap((loss, i) =>
  ["lr 0.1", "lr 0.3"].map((rate) => ({ step: i, loss, rate }))
);

Deno.test("plot() draws a color legend inside one svg, one swatch per value", () => {
  const svg = plot({
    color: { legend: true, domain: ["lr 0.1", "lr 0.3"], range: ["#111111", "#222222"] },
    marks: [Plot.dot(rows, { x: "step", y: "loss", fill: "rate" })],
  });
  const markup = svg.outerHTML;
  assert(markup.startsWith("<svg"), `Expected an svg but found ${markup.slice(0, 40)}`);
  assert(!markup.includes("<figure") && !markup.includes("<div"), "Expected no HTML in the plot");
  for (const [label, color] of [["lr 0.1", "#111111"], ["lr 0.3", "#222222"]]) {
    assertStringIncludes(markup, `>${label}</text>`);
    assertStringIncludes(markup, `fill="${color}"`);
  }
  // the plot sits below the legend: the outer svg is taller than the inner one
  const [outer, inner] = [...markup.matchAll(/<svg[^>]*\sheight="(\d+)"/g)].map((m) =>
    Number(m[1])
  );
  assert(outer > inner, `Expected the outer height ${outer} to exceed the plot's ${inner}`);
});

Deno.test("plot() draws a continuous color legend as an svg gradient", () => {
  const markup = plot({
    color: { legend: true, type: "linear" },
    marks: [Plot.dot(rows, { x: "step", y: "loss", fill: "loss" })],
  }).outerHTML;
  assertStringIncludes(markup, "<linearGradient");
  assertStringIncludes(markup, ">0.01</text>");
  assertStringIncludes(markup, ">0.7</text>");
});

Deno.test("plot() labels log axes in decimal, not with SI prefixes", () => {
  const markup = plot({
    y: { type: "log" },
    marks: [Plot.dot(rows, { x: "step", y: "loss" })],
  }).outerHTML;
  const ticks = [...markup.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert(ticks.includes("0.1"), `Expected a tick 0.1 among ${ticks}`);
  assertEquals(ticks.filter((t) => /\d[mµ]$/.test(t)), []);
});

Deno.test("plot() without a legend returns Plot's own svg", () => {
  const markup = plot({ marks: [Plot.lineY([1, 3, 2])] }).outerHTML;
  assert(markup.startsWith("<svg"));
  assertEquals(markup.match(/<svg/g)?.length, 1);
});

Deno.test("plot() draws a string caption under the plot, wrapped, with Figure N. in bold", () => {
  const caption = "Figure 3. The loss of every batch (dots) and its centred running mean (line), " +
    "over the five epochs of the run at lr 0.3 with batches of 50 images.";
  const markup = plot({ width: 300, caption, marks: [Plot.lineY([1, 3, 2])] }).outerHTML;
  assert(!markup.includes("<figure"), "Expected the caption inside the svg");
  assertStringIncludes(markup, '<tspan font-weight="bold">Figure 3.</tspan>');
  const lines = [...markup.matchAll(/<text y="[\d.]+" x="0">(.*?)<\/text>/g)].map((m) =>
    m[1].replace(/<[^>]+>/g, "")
  );
  assert(lines.length >= 3, `Expected the caption wrapped over lines but found ${lines.length}`);
  assertEquals(lines.join(" "), caption);
  for (const line of lines) assert(line.length * 6.6 <= 300, `Line too wide: ${line}`);
});
