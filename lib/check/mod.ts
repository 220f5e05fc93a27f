/**
 * Gradient checks: numerical derivatives by central differences, and the largest difference
 * between an analytic result and a numerical one.
 *
 * @module
 */

export * from "./central_difference.ts";
export * from "./central_difference_jacobian.ts";
export * from "./max_abs_difference.ts";
