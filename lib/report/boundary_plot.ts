/**
 * What a 2-input scalar network computes over the plane (notebook 03): its probability of class 1
 * with the decision boundary, and beside it each hidden unit's activation h_j with its 0.5 line.
 *
 * @module
 */

import type { ScalarNetwork } from "../scalar/network.ts";
import { Plot, plot } from "./plot.ts";

/** A point of the plane. */
export interface PlanePoint {
  /** The first coordinate. */
  x0: number;
  /** The second coordinate. */
  x1: number;
}

/** Labelled points: X (n, 2) row by row, y (n) the classes 0 and 1. */
export interface PlaneSplit {
  /** The points: (n, 2), flat. */
  X: ArrayLike<number>;
  /** The classes: (n). */
  y: ArrayLike<number>;
}

/** One row of a {@linkcode boundaryPlot}: a network and the label of its row. */
export interface BoundaryRow {
  /** The row's label, e.g. "step 0" (shown beside the row when there are several). */
  label: string;
  /** A network with 2 inputs and 2 outputs. */
  network: ScalarNetwork;
}

/** Options of {@linkcode boundaryPlot}. */
export interface BoundaryPlotOptions {
  /** The caption under the figure, "Figure N. …". @default {undefined} */
  caption?: string;
  /** The square drawn: [−extent, extent]². @default {3.2} */
  extent?: number;
  /** The true boundary, a closed line (black). @default {[]} */
  truth?: readonly PlanePoint[];
  /** Validation points: the first 500 as dots, every misclassified one as a cross. */
  points?: PlaneSplit;
  /** Each unit's 0.5 line in the class panel, bold and labelled "unit j", or faint. @default {"labelled"} */
  unitLines?: "labelled" | "faint";
  /** A panel per hidden unit beside the class panel, its h_j over the plane. @default {false} */
  units?: boolean;
}

/** Heat-map levels, with the 0.5 decision level among them; blue (0) through white to orange (1). */
const LEVELS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
const BAND_COLORS = Array.from({ length: LEVELS.length + 1 }, (_, i) => {
  const t = i / LEVELS.length;
  return t < 0.5 ? mix("#8fb3d9", "#ffffff", t / 0.5) : mix("#ffffff", "#fbb978", (t - 0.5) / 0.5);
});
const CLASS_PANEL = "P(class 1)";

/**
 * The points of `split` that `net` puts in the wrong class (class 1 where P(class 1) > 0.5).
 *
 * @param net A network with 2 inputs and 2 outputs.
 * @param split The points: X (n, 2), y (n).
 * @returns The misclassified points, in order.
 */
export function misclassified(net: ScalarNetwork, split: PlaneSplit): PlanePoint[] {
  const wrong: PlanePoint[] = [];
  for (let i = 0; i < split.y.length; i++) {
    const [x0, x1] = [split.X[2 * i], split.X[2 * i + 1]];
    if ((net.forward([x0, x1], 0).y[1] > 0.5 ? 1 : 0) !== split.y[i]) wrong.push({ x0, x1 });
  }
  return wrong;
}

/**
 * A grid of heat maps, one row per network: P(class 1) over the plane with the decision boundary
 * P = 0.5 (purple), the true boundary (black), each hidden unit's line h_j = 0.5 (dashed), sample
 * points and misclassified points (crosses); with `units`, then one panel per hidden unit, h_j
 * over the plane with its 0.5 line.
 *
 * @param rows The networks, one row each: (rows), each 2 inputs, H hidden units, 2 outputs.
 * @param options Caption, square, true boundary, points, unit lines and unit panels.
 * @returns One `<svg>` element.
 *
 * @example One network, one panel
 * ```ts
 * import { boundaryPlot } from "./boundary_plot.ts";
 * import { ScalarNetwork } from "../scalar/network.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const network = new ScalarNetwork({ W: [[4], [0]], b: [0], V: [[-2, 2]], c: [0, 0] });
 * const svg = boundaryPlot([{ label: "", network }], { caption: "Figure 1. x₀ > 0" });
 * assertStringIncludes(svg.outerHTML, "x₀ &gt; 0");
 * ```
 */
export function boundaryPlot(
  rows: readonly BoundaryRow[],
  options: BoundaryPlotOptions = {},
): ReturnType<typeof plot> {
  const { extent = 3.2, truth = [], points, unitLines = "labelled", units = false } = options;
  const numHiddens = rows[0]?.network.numHiddens ?? 0;
  const panels = [CLASS_PANEL, ...(units ? unitNames(numHiddens) : [])];
  const grid = rows.length > 1 || units;
  const size = grid ? 170 : 440; // px, one panel
  // in the class panel of each row: marks whose data carry the row (fy) and the panel (fx)
  const inClass = <T extends object>(row: BoundaryRow, data: readonly T[]) =>
    data.map((d) => ({ ...d, panel: CLASS_PANEL, row: row.label }));
  const field = rows.flatMap((row) => fieldRows(row, panels, extent, grid ? 61 : 97));
  const lines = rows.flatMap((row) => inClass(row, unitLineRows(row.network, extent)));
  const ownLines = units
    ? lines.map((l) => ({ ...l, panel: panels[l.unit] })) // panel j + 1 is unit j + 1's
    : [];
  const facet = { fx: "panel", fy: "row" } as const;
  const bold = unitLines === "labelled";
  return plot({
    caption: options.caption,
    width: panels.length * (size + 10) + (grid ? 110 : 60),
    height: rows.length * (size + 10) + 70,
    marginRight: grid ? 110 : 20,
    x: { domain: [-extent, extent], label: "x₀", ticks: grid ? [-2, 0, 2] : undefined },
    y: { domain: [-extent, extent], label: "x₁" },
    fx: { domain: panels, label: null, axis: grid ? "top" : null },
    fy: { domain: rows.map((r) => r.label), label: null, axis: rows.length > 1 ? "right" : null },
    color: {
      type: "threshold",
      domain: LEVELS,
      range: BAND_COLORS,
      legend: true,
      label: units ? "P(class 1), and h_j in a unit's panel" : "P(class 1)",
    },
    marks: [
      Plot.contour(field, {
        x: "x0",
        y: "x1",
        fill: "value",
        ...facet,
        thresholds: [0, ...LEVELS],
        interpolate: "barycentric",
        pixelSize: 4,
      }),
      points === undefined ? null : Plot.dot(
        rows.flatMap((row) => inClass(row, labelledPoints(points, 500))),
        {
          x: "x0",
          y: "x1",
          r: grid ? 1 : 1.4,
          fill: (d) => d.y === 1 ? "#9a3d00" : "#1f4e79",
          stroke: "white",
          strokeWidth: 0.4,
          clip: true,
          ...facet,
        },
      ),
      Plot.line(lines, {
        x: "x0",
        y: "x1",
        z: "unit",
        stroke: "#333",
        strokeWidth: bold ? 1.5 : 0.8,
        strokeDasharray: "5,3",
        strokeOpacity: bold ? 1 : 0.6,
        ...facet,
      }),
      bold && !grid
        ? Plot.text(unitLabels(lines, numHiddens), {
          x: "x0",
          y: "x1",
          text: (d) => `unit ${d.unit}`,
          fill: "black",
          stroke: "white",
          strokeWidth: 3,
          fontWeight: "bold",
          ...facet,
        })
        : null,
      Plot.line(rows.flatMap((row) => inClass(row, truth)), {
        x: "x0",
        y: "x1",
        stroke: "black",
        strokeWidth: grid ? 1.2 : 2,
        ...facet,
      }),
      // the decision boundary, drawn around the class-0 region (1 − P ≥ 0.5) so that the outline
      // does not run along the frame; in each unit's panel, its line h_j = 0.5
      Plot.contour(
        field.filter((d) => d.panel === CLASS_PANEL).map((d) => ({ ...d, value: 1 - d.value })),
        {
          x: "x0",
          y: "x1",
          fill: null,
          value: "value",
          ...facet,
          thresholds: [0.5],
          interpolate: "barycentric",
          pixelSize: 2,
          stroke: "#7b2d8e",
          strokeWidth: 2,
        },
      ),
      Plot.line(ownLines, {
        x: "x0",
        y: "x1",
        z: "unit",
        stroke: "#333",
        strokeWidth: 1.5,
        ...facet,
      }),
      points === undefined ? null : Plot.dot(
        rows.flatMap((row) => inClass(row, misclassified(row.network, points))),
        {
          x: "x0",
          y: "x1",
          symbol: "times",
          r: grid ? 1.8 : 2.5,
          stroke: "black",
          strokeWidth: 1,
          clip: true,
          ...facet,
        },
      ),
      Plot.frame(),
    ],
  });
}

/** The names of H unit panels: h₁, h₂, … */
function unitNames(numHiddens: number): string[] {
  const sub = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
  return Array.from({ length: numHiddens }, (_, j) => `h${sub(j + 1)}`);
}

/** The values of every panel of a row on an n × n grid over the square: P(class 1), then h_j. */
function fieldRows(row: BoundaryRow, panels: readonly string[], extent: number, n: number) {
  const out: { x0: number; x1: number; value: number; panel: string; row: string }[] = [];
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < n; c++) {
      const x0 = -extent + (2 * extent * a) / (n - 1), x1 = -extent + (2 * extent * c) / (n - 1);
      const pass = row.network.forward([x0, x1], 0);
      panels.forEach((panel, p) => {
        const value = p === 0 ? pass.y[1] : pass.h[p - 1];
        out.push({ x0, x1, value, panel, row: row.label });
      });
    }
  }
  return out;
}

/** The line h_j = 0.5 of every hidden unit, W_0j x0 + W_1j x1 + b_j = 0, inside the square. */
function unitLineRows(net: ScalarNetwork, extent: number) {
  const rows: { unit: number; x0: number; x1: number }[] = [];
  for (let j = 0; j < net.numHiddens; j++) {
    const [w0, w1, b] = [net.W[0][j], net.W[1][j], net.b[j]];
    for (let k = 0; k <= 200; k++) {
      const s = -extent + (2 * extent * k) / 200;
      // solve for whichever coordinate the line is less steep in
      const point = Math.abs(w1) >= Math.abs(w0)
        ? { x0: s, x1: -(w0 * s + b) / w1 }
        : { x0: -(w1 * s + b) / w0, x1: s };
      if (Math.abs(point.x0) <= extent && Math.abs(point.x1) <= extent) {
        rows.push({ unit: j + 1, ...point });
      }
    }
  }
  return rows;
}

/** One label per unit line, spread along the lines so that lines crossing near a corner stay apart. */
function unitLabels<T extends { unit: number }>(lines: readonly T[], numHiddens: number): T[] {
  return [...new Set(lines.map((l) => l.unit))].map((unit) => {
    const onLine = lines.filter((l) => l.unit === unit);
    const at = 0.12 + (0.76 * (unit - 1)) / Math.max(1, numHiddens - 1);
    return onLine[Math.floor((onLine.length - 1) * at)];
  });
}

/** The first `count` points of a split, with their classes. */
function labelledPoints(split: PlaneSplit, count: number) {
  return Array.from({ length: Math.min(count, split.y.length) }, (_, i) => ({
    x0: split.X[2 * i],
    x1: split.X[2 * i + 1],
    y: split.y[i],
  }));
}

/** The color a fraction t of the way from hex color a to hex color b, as rgb(…). */
function mix(a: string, b: string, t: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const rgb = [0, 1, 2].map((i) => Math.round(channel(a, i) + t * (channel(b, i) - channel(a, i))));
  return `rgb(${rgb.join(",")})`;
}
