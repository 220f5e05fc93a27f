/**
 * The report's widgets, the entry of widgets.js (bundled beside the pages by
 * scripts/report_html.py): on load it mounts every `<div data-widget="name" data-params='{…}'>`
 * of the page, which the report puts after a notebook cell tagged `widget:name` with that cell's
 * displayed JSON as the params. Each widget is one module exporting `mount(element, params)`.
 *
 * @module
 */

import { mount as mnistTraining } from "./mnist_training.ts";
import { mount as runExplorer, type RunExplorerParams } from "./run_explorer.ts";
import { mount as scalarTraining } from "./scalar_training.ts";

/** A widget's mount function: fills the element, returns a handle for the page and tests. */
export type MountWidget = (element: HTMLElement, params: unknown) => unknown;

/** The widgets, by the name in their notebook cell's tag `widget:<name>`. */
export const WIDGETS: Readonly<Record<string, MountWidget>> = {
  "scalar-training": scalarTraining,
  "run-explorer": (element, params) => runExplorer(element, params as RunExplorerParams),
  "mnist-training": mnistTraining,
};

/** A mounted widget. */
export interface MountedWidget {
  /** Its name. */
  name: string;
  /** Its element. */
  element: HTMLElement;
  /** What its mount function returned. */
  handle: unknown;
}

/**
 * Mounts every `[data-widget]` element under `root`. A widget that fails shows why in its
 * element and logs the error; the others still mount.
 *
 * @param root Where to look.
 * @returns The widgets mounted.
 */
export function mountWidgets(root: ParentNode): MountedWidget[] {
  const mounted: MountedWidget[] = [];
  for (const element of root.querySelectorAll<HTMLElement>("[data-widget]")) {
    const name = element.dataset.widget ?? "";
    try {
      const mount = WIDGETS[name];
      if (!mount) {
        throw new RangeError(
          `Expected a widget named one of ${Object.keys(WIDGETS).join(", ")} but found "${name}"`,
        );
      }
      mounted.push({
        name,
        element,
        handle: mount(element, JSON.parse(element.dataset.params ?? "null")),
      });
    } catch (error) {
      element.textContent = `This live widget could not start: ${(error as Error).message}`;
      console.error(error);
    }
  }
  return mounted;
}

if (typeof document !== "undefined") {
  (globalThis as { backpropWidgets?: MountedWidget[] }).backpropWidgets = mountWidgets(document);
}
