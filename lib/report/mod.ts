/**
 * The notebooks' display: plots, HTML tables, live progress, PNG images and number formats, the
 * chapters' figures (network diagrams, decision boundaries, activations, accuracy against rate),
 * step timings, and the exercises' checker.
 *
 * @module
 */

export * from "./plot.ts";
export * from "./table.ts";
export * from "./progress.ts";
export * from "./format.ts";
export * from "./png.ts";
export * from "./image_grid.ts";
export * from "./network_diagram.ts";
export * from "./exercise_check.ts";
export * from "./rate_plot.ts";
export * from "./step_timings.ts";
export * from "./activation_plot.ts";
export * from "./boundary_plot.ts";
