// The network diagram: a link per weight, exact zeros dashed, numbers under units, bad shapes named.
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { type DiagramPanel, networkDiagram } from "../../lib/report/network_diagram.ts";

const layers = [{ name: "x", size: 2 }, { name: "h", size: 3 }, { name: "y", size: 1 }];
const panel = (title: string, first: number[][]): DiagramPanel => ({
  title,
  layers,
  links: [first, [[1], [2], [-3]]],
});

Deno.test("networkDiagram() draws one link per weight, each exact 0 dashed and written 0", () => {
  const svg = networkDiagram([panel("grads", [[0, 0, 0.5], [0, -0.25, 0]])]).outerHTML;
  const dashed = svg.match(/<g[^>]*stroke-dasharray[^>]*>([\s\S]*?)<\/g>/)![1];
  assertEquals(dashed.match(/<path/g)?.length, 4);
  assertEquals(svg.match(/<path/g)?.length, 6 + 3);
  assertStringIncludes(svg, ">−0.25<");
  assertStringIncludes(svg, ">0<");
});

Deno.test("networkDiagram() writes each unit's numbers under it, a true minus sign, 3 digits", () => {
  const svg = networkDiagram([{
    ...panel("values", [[1, 1, 1], [1, 1, 1]]),
    layers: [
      layers[0],
      { ...layers[1], numbers: { symbol: "h", values: [0.88079707, -1, 2] } },
      layers[2],
    ],
  }]).outerHTML;
  for (const note of ["h = 0.881", "h = −1", "h = 2"]) assertStringIncludes(svg, note);
});

Deno.test("networkDiagram() stacks its panels, each under its title", () => {
  const svg = networkDiagram([
    panel("forward", [[1, 1, 1], [1, 1, 1]]),
    panel("backward", [[0, 0, 0], [0, 0, 0]]),
  ])
    .outerHTML;
  assertStringIncludes(svg, ">forward<");
  assertStringIncludes(svg, ">backward<");
  assertEquals(svg.match(/<circle/g)?.length, 2 * 6);
});

Deno.test("networkDiagram() names the panel and the shapes when they do not fit", () => {
  assertThrows(
    () => networkDiagram([panel("a", [[1, 1, 1], [1, 1, 1]]), panel("b", [[1, 1], [1, 1]])]),
    RangeError,
    'panel "b": expected links of shapes (2, 3), (3, 1) but found (2, 2), (3, 1)',
  );
  const wider = {
    ...panel("c", [[1, 1, 1], [1, 1, 1]]),
    layers: [layers[0], { ...layers[1], size: 4 }, layers[2]],
  };
  assertThrows(
    () => networkDiagram([panel("a", [[1, 1, 1], [1, 1, 1]]), wider]),
    RangeError,
    'panel "c" has layers 2-4-1, but the first panel has 2-3-1',
  );
  const short = { ...layers[1], numbers: { symbol: "h", values: [1, 2] } };
  assertThrows(
    () =>
      networkDiagram([{
        ...panel("d", [[1, 1, 1], [1, 1, 1]]),
        layers: [layers[0], short, layers[2]],
      }]),
    RangeError,
    'panel "d": layer "h" has 3 units but 2 values of h',
  );
});
