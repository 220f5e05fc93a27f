/**
 * Checks a finite-difference step.
 *
 * @param h The step.
 * @returns h, when it is a finite number greater than 0.
 */
export function checkStep(h: number): number {
  if (!(h > 0) || !Number.isFinite(h)) {
    throw new RangeError(`Expected h to be a finite number greater than 0 but found ${h}`);
  }
  return h;
}
