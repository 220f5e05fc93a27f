import { meanStd } from "../stats/mod.ts";
import { Plot, plot } from "./plot.ts";

/** One run (one seed) of a learning-rate grid: its family, its rate and its accuracy in [0, 1]. */
export interface RateResult {
  /** The run's family, e.g. "plain SGD" or "momentum 0.9": one line per family. */
  family: string;
  /** The learning rate, > 0 (the x axis is log). */
  lr: number;
  /** The run's accuracy as a fraction in [0, 1]. */
  accuracy: number;
}

/** Options of {@link rateAccuracyPlot}. */
export interface RateAccuracyPlotOptions {
  /** A figure caption drawn under the plot ("Figure N." in bold). */
  caption?: string;
  /** The y axis label; "accuracy (%)" unless given. */
  yLabel?: string;
  /** The plot's height in px (Plot's default unless given). */
  height?: number;
}

/** One (family, lr) point: the mean and the ± one std band over its runs, in percent. */
export interface RatePoint {
  family: string;
  lr: number;
  /** Number of runs (seeds) at this point. */
  runs: number;
  mean: number;
  /** mean − std and mean + std, or null where there is one run. */
  lo: number | null;
  hi: number | null;
}

/**
 * The runs grouped by (family, lr): per point the mean accuracy in percent over its runs and a
 * ± one sample std band (null with one run), sorted by family (first appearance) then rate.
 *
 * @param results One row per run; accuracy a fraction in [0, 1].
 * @returns One row per (family, lr).
 */
export function ratePoints(results: readonly RateResult[]): RatePoint[] {
  const groups = new Map<string, { family: string; lr: number; values: number[] }>();
  for (const { family, lr, accuracy } of results) {
    if (!(lr > 0)) throw new RangeError(`Expected a learning rate > 0 but found ${lr}`);
    const key = `${family}\u0000${lr}`;
    const group = groups.get(key) ?? { family, lr, values: [] };
    group.values.push(100 * accuracy);
    groups.set(key, group);
  }
  const order = [...new Set(results.map((r) => r.family))];
  return [...groups.values()]
    .sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family) || a.lr - b.lr)
    .map(({ family, lr, values }) => {
      const { mean, std } = meanStd(values);
      return {
        family,
        lr,
        runs: values.length,
        mean,
        lo: std === null ? null : mean - std,
        hi: std === null ? null : mean + std,
      };
    });
}

/**
 * Accuracy against learning rate, one line per family: the mean over the runs at each rate as a
 * line with a dot, a band of ± one sample std (none where a rate has one run), on a log x axis
 * whose ticks are the rates, y in percent.
 *
 * @param results One row per run (family, lr, accuracy in [0, 1]).
 * @param options Caption, y label, height.
 * @returns What {@link plot} returns: an `<svg>` element.
 *
 * @example Two families over three rates, two seeds each
 * ```ts
 * import { rateAccuracyPlot } from "./mod.ts";
 * import { assert } from "@std/assert";
 *
 * const results = [0.1, 0.3, 1].flatMap((lr) =>
 *   [0, 1].flatMap((seed) => [
 *     { family: "plain", lr, accuracy: 0.9 + 0.01 * seed },
 *     { family: "momentum", lr, accuracy: 0.92 - 0.01 * seed },
 *   ])
 * );
 * const svg = rateAccuracyPlot(results, { caption: "Figure 1. Accuracy against rate." });
 * assert(svg.outerHTML.startsWith("<svg"));
 * ```
 */
export function rateAccuracyPlot(
  results: readonly RateResult[],
  options: RateAccuracyPlotOptions = {},
): ReturnType<typeof plot> {
  const points = ratePoints(results);
  const bands = points.filter((p) => p.lo !== null);
  const families = [...new Set(points.map((p) => p.family))];
  const rates = [...new Set(points.map((p) => p.lr))].sort((a, b) => a - b);
  return plot({
    height: options.height,
    caption: options.caption,
    x: { type: "log", ticks: rates, label: "learning rate", grid: true },
    y: { label: options.yLabel ?? "accuracy (%)", grid: true, nice: true },
    color: { legend: families.length > 1, domain: families },
    marks: [
      Plot.areaY(points, {
        x: "lr",
        y1: "lo",
        y2: "hi",
        fill: "family",
        z: "family",
        fillOpacity: 0.2,
      }),
      Plot.line(points, { x: "lr", y: "mean", stroke: "family", z: "family", strokeWidth: 1.5 }),
      Plot.dot(points, { x: "lr", y: "mean", fill: "family", r: 3 }),
      Plot.ruleX(bands, { x: "lr", y1: "lo", y2: "hi", stroke: "family", strokeOpacity: 0.6 }),
    ],
  });
}
