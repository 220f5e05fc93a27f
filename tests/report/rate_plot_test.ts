import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { rateAccuracyPlot, ratePoints } from "../../lib/report/rate_plot.ts";

// plain at 0.1: 0.90, 0.92, 0.94 (mean 92%, sample std 2%); plain at 1: one run; momentum at 0.1
const results = [
  { family: "plain", lr: 1, accuracy: 0.5 },
  { family: "plain", lr: 0.1, accuracy: 0.9 },
  { family: "momentum", lr: 0.1, accuracy: 0.8 },
  { family: "plain", lr: 0.1, accuracy: 0.92 },
  { family: "momentum", lr: 0.1, accuracy: 0.84 },
  { family: "plain", lr: 0.1, accuracy: 0.94 },
];

Deno.test("ratePoints() groups by (family, lr): mean and mean ± sample std in percent", () => {
  const points = ratePoints(results);
  assertEquals(points.map((p) => [p.family, p.lr, p.runs]), [
    ["plain", 0.1, 3],
    ["plain", 1, 1],
    ["momentum", 0.1, 2],
  ]);
  const [plain, single, momentum] = points;
  assertAlmostEquals(plain.mean, 92, 1e-9);
  assertAlmostEquals(plain.lo!, 90, 1e-9);
  assertAlmostEquals(plain.hi!, 94, 1e-9);
  // two runs 80 and 84: sample std √8 (the population std would be 2)
  assertAlmostEquals(momentum.hi! - momentum.mean, Math.sqrt(8), 1e-9);
  assertEquals([single.mean, single.lo, single.hi], [50, null, null]);
});

Deno.test("ratePoints() rejects a rate a log axis cannot show", () => {
  assertThrows(() => ratePoints([{ family: "a", lr: 0, accuracy: 0.5 }]), RangeError);
});

Deno.test("rateAccuracyPlot() draws a log x axis whose ticks are the rates", () => {
  const rates = [0.01, 0.03, 0.1, 0.3, 1, 3];
  const rows = rates.flatMap((lr) =>
    [0, 1].map((s) => ({ family: "a", lr, accuracy: 0.5 + s / 10 }))
  );
  const svg = rateAccuracyPlot(rows);
  assertEquals(svg.scale("x")?.type, "log");
  const ticks = [...svg.outerHTML.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  for (const rate of rates) {
    assert(ticks.includes(String(rate)), `Expected tick ${rate} in ${ticks}`);
  }
  // y in percent: the tick labels reach past 50, not stay within [0, 1]
  assert(ticks.some((t) => Number(t) >= 50), `Expected percent ticks among ${ticks}`);
});

Deno.test("rateAccuracyPlot() draws the band's ends at mean ± std in the plot's y scale", () => {
  // plain at 0.1 (90, 92, 94) and at 1 (50, 70) so the y domain is wider than either band
  const rows = [
    ...results.filter((r) => r.family === "plain" && r.lr === 0.1),
    { family: "plain", lr: 1, accuracy: 0.5 },
    { family: "plain", lr: 1, accuracy: 0.7 },
  ];
  const svg = rateAccuracyPlot(rows);
  const [x, y] = [svg.scale("x")!, svg.scale("y")!];
  // the band's rules: the <line>s with a stroke of their own (the grid's lines inherit theirs)
  const rules = [...svg.outerHTML.matchAll(/<line [^>]*stroke="[^>]*>/g)].map(([line]) => {
    const attr = (name: string) => Number(line.match(new RegExp(` ${name}="([\\d.]+)"`))![1]);
    return { x: attr("x1"), ends: [attr("y1"), attr("y2")].sort((a, b) => a - b) };
  });
  assertEquals(rules.length, 2);
  const rule = rules.find((r) => Math.abs(r.x - (x.apply!(0.1) as number)) < 0.5);
  assert(rule, `Expected a rule at lr 0.1 among ${JSON.stringify(rules)}`);
  const expected = [y.apply!(94) as number, y.apply!(90) as number].sort((a, b) => a - b);
  assertAlmostEquals(rule.ends[0], expected[0], 0.5);
  assertAlmostEquals(rule.ends[1], expected[1], 0.5);
});
