/**
 * Checks that a target class is an integer from 0 to numClasses − 1.
 *
 * @param target The target class.
 * @param numClasses The number of classes (the length of the logits or probabilities).
 */
export function checkTarget(target: number, numClasses: number): void {
  if (typeof target !== "number") {
    throw new TypeError(`Expected target to be a number but found ${typeof target}`);
  }
  if (!Number.isInteger(target) || target < 0 || target >= numClasses) {
    throw new RangeError(
      `Expected target to be an integer from 0 to ${numClasses - 1} but found ${target}`,
    );
  }
}
