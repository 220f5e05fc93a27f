/**
 * Gradient checks: derivatives by central differences, and the largest difference from them.
 *
 * @module
 */

export * from "./central_difference.ts";
export * from "./central_difference_jacobian.ts";
export * from "./max_abs_difference.ts";
