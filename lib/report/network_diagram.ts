import { Plot, plot } from "./plot.ts";

/** A number shown under each unit of a layer, as `symbol = value`. */
export interface UnitNumbers {
  /** What the numbers are, e.g. "h" or "∂l/∂h". */
  symbol: string;
  /** One per unit. */
  values: ArrayLike<number>;
}

/** One layer of a {@linkcode DiagramPanel}: its units' name and up to two numbers under each. */
export interface DiagramLayer {
  /** The units are named `${name}0`, `${name}1`, … */
  name: string;
  /** The layer's size. */
  size: number;
  /** The first line under each unit (a value, or the gradient at it). */
  numbers?: UnitNumbers;
  /** The second line under each unit (its bias, or the bias's gradient). */
  bias?: UnitNumbers;
}

/** One drawing of a fully connected network: its layers and the number on each link. */
export interface DiagramPanel {
  /** Written above the panel. */
  title: string;
  /** From the inputs to the outputs. */
  layers: DiagramLayer[];
  /** links[l][i][j] is on the link from unit i of layer l to unit j of layer l + 1. */
  links: ArrayLike<number>[][];
}

/** Options of {@linkcode networkDiagram}. */
export interface NetworkDiagramOptions {
  /** The caption under the figure, "Figure N. …". */
  caption?: string;
  /** The width in px. @default {640} */
  width?: number;
}

const SIGN_COLORS = { positive: "#4269d0", negative: "#d0423b", zero: "#999" };

/**
 * Draws a small fully connected network once per panel, the panels stacked: units as circles,
 * each link with its number (blue positive, red negative, wider the larger it is within its
 * panel; an exact 0 grey, dashed and written "0"), each unit's numbers under it. With weights
 * and values in one panel and their gradients in another, a zero gradient shows at a glance.
 *
 * @param panels The drawings, top to bottom; every panel has the same layer sizes.
 * @param options The caption and width.
 * @returns The figure's `<svg>` (see `plot`).
 *
 * @example A 2-1 network: its weights, and the gradients, one of them exactly 0
 * ```ts
 * import { networkDiagram } from "./network_diagram.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const layers = [{ name: "x", size: 2 }, { name: "y", size: 1 }];
 * const svg = networkDiagram([
 *   { title: "weights", layers, links: [[[0.5], [-2]]] },
 *   { title: "gradients", layers, links: [[[0], [0.25]]] },
 * ]);
 * assertStringIncludes(svg.outerHTML, "stroke-dasharray");
 * ```
 */
export function networkDiagram(
  panels: DiagramPanel[],
  options: NetworkDiagramOptions = {},
): ReturnType<typeof plot> {
  const { caption, width = 640 } = options;
  const sizes = panels[0].layers.map((layer) => layer.size);
  for (const panel of panels) checkPanel(panel, sizes);
  const at = (layer: number, i: number) => ({ x: layer, y: i - (sizes[layer] - 1) / 2 });
  const units = panels.flatMap((panel) =>
    panel.layers.flatMap((layer, l) =>
      Array.from({ length: layer.size }, (_, i) => ({
        ...at(l, i),
        panel: panel.title,
        name: `${layer.name}${i}`,
        note: [layer.numbers, layer.bias].filter((n) => n !== undefined)
          .map((n) => `${n.symbol} = ${formatNumber(n.values[i])}`).join("\n"),
      }))
    )
  );
  const links = panels.flatMap((panel) => {
    const all = panel.links.flatMap((rows, l) =>
      rows.flatMap((row, i) =>
        Array.from(
          row,
          (value, j) => ({ panel: panel.title, from: at(l, i), to: at(l + 1, j), value }),
        )
      )
    );
    const largest = Math.max(...all.map((d) => Math.abs(d.value))) || 1;
    return all.map((d) => ({
      ...d,
      width: 1 + 3 * Math.abs(d.value) / largest,
      sign: signOf(d.value),
    }));
  });
  type Link = (typeof links)[number];
  const label = (d: Link) => ({ // a third of the way along the link, where links cross least
    x: d.from.x + 0.27 * (d.to.x - d.from.x),
    y: d.from.y + 0.27 * (d.to.y - d.from.y),
  });
  const ends = { // a link's channels: its two ends, its panel, its sign's colour
    x1: (d: Link) => d.from.x,
    y1: (d: Link) => d.from.y,
    x2: (d: Link) => d.to.x,
    y2: (d: Link) => d.to.y,
    fy: "panel",
    stroke: "sign",
  };
  const titles = panels.map((panel) => ({ panel: panel.title }));
  const depth = Math.max(...sizes);
  return plot({
    caption,
    width,
    height: panels.length * (75 * depth + 50),
    margin: 30,
    marginTop: 20,
    x: { axis: null, domain: [-0.3, sizes.length - 0.7] },
    y: { axis: null, domain: [depth / 2 + 0.1, -depth / 2 - 0.1] },
    fy: { axis: null, domain: panels.map((panel) => panel.title) },
    color: {
      type: "categorical",
      domain: Object.keys(SIGN_COLORS),
      range: Object.values(SIGN_COLORS),
    },
    marks: [
      Plot.link(links.filter((d) => d.sign !== "zero"), {
        ...ends,
        strokeWidth: "width",
        strokeOpacity: 0.7,
      }),
      Plot.link(links.filter((d) => d.sign === "zero"), { ...ends, strokeDasharray: "4,3" }),
      Plot.text(links, {
        x: (d) => label(d).x,
        y: (d) => label(d).y,
        fy: "panel",
        text: (d) => formatNumber(d.value),
        fill: "sign",
        stroke: "white",
        strokeWidth: 4,
        fontSize: 11,
        fontWeight: "bold",
      }),
      Plot.dot(units, {
        x: "x",
        y: "y",
        fy: "panel",
        r: 16,
        fill: "white",
        stroke: "black",
        strokeWidth: 1.5,
      }),
      Plot.text(units, { x: "x", y: "y", fy: "panel", text: "name", fontSize: 13 }),
      Plot.text(units, {
        x: "x",
        y: "y",
        fy: "panel",
        text: "note",
        dy: 20,
        lineAnchor: "top",
        fontSize: 11,
        stroke: "white",
        strokeWidth: 3,
        fill: "black",
      }),
      Plot.text(titles, {
        fy: "panel",
        frameAnchor: "top-left",
        dy: -14,
        text: "panel",
        fontSize: 13,
        fontWeight: "bold",
      }),
    ],
  });
}

/** Three significant digits, a true minus sign, and an exact 0 as "0". */
function formatNumber(value: number): string {
  return value === 0 ? "0" : String(Number(value.toPrecision(3))).replace("-", "−");
}

function signOf(value: number): keyof typeof SIGN_COLORS {
  return value > 0 ? "positive" : value < 0 ? "negative" : "zero";
}

/** Every panel has the layer sizes of the first, numbers for each unit and a link per pair. */
function checkPanel(panel: DiagramPanel, sizes: number[]): void {
  const where = `networkDiagram: panel "${panel.title}"`;
  if (
    panel.layers.length !== sizes.length || panel.layers.some((layer, l) => layer.size !== sizes[l])
  ) {
    const found = panel.layers.map((layer) => layer.size).join("-");
    throw new RangeError(
      `${where} has layers ${found}, but the first panel has ${sizes.join("-")}`,
    );
  }
  for (const layer of panel.layers) {
    for (const numbers of [layer.numbers, layer.bias]) {
      if (numbers !== undefined && numbers.values.length !== layer.size) {
        throw new RangeError(
          `${where}: layer "${layer.name}" has ${layer.size} units but ${numbers.values.length} values of ${numbers.symbol}`,
        );
      }
    }
  }
  const shapeOk = panel.links.length === sizes.length - 1 &&
    panel.links.every((rows, l) =>
      rows.length === sizes[l] && rows.every((row) => row.length === sizes[l + 1])
    );
  if (!shapeOk) {
    const found = panel.links.map((rows) => `(${rows.length}, ${rows[0]?.length ?? 0})`).join(", ");
    const expected = sizes.slice(1).map((n, l) => `(${sizes[l]}, ${n})`).join(", ");
    throw new RangeError(`${where}: expected links of shapes ${expected} but found ${found}`);
  }
}
