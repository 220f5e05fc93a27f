/**
 * The page of tests/browser/mnist_widget_test.ts, bundled for the browser: mounts the MNIST
 * widget on the page's `[data-widget="mnist-training"]` element with its params, as the report's
 * widgets.js does, and leaves its handle in `globalThis.widget`.
 *
 * @module
 */

import { mount } from "../../lib/widgets/mnist_training.ts";

const element = document.querySelector<HTMLElement>('[data-widget="mnist-training"]')!;
(globalThis as { widget?: unknown }).widget = mount(
  element,
  JSON.parse(element.dataset.params ?? "null"),
);
