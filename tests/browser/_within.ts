/**
 * Waits for a promise for at most a given time, and leaves no timer behind.
 *
 * @module
 */

/**
 * Whether the promise settled within the time; its rejection is swallowed (the caller holds it).
 *
 * @param promise What to wait for.
 * @param ms The time allowed, in milliseconds.
 * @returns True when it settled in time.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import { within } from "./_within.ts";
 *
 * assert(await within(Promise.resolve(), 100));
 * assert(!(await within(new Promise((resolve) => setTimeout(resolve, 200)), 10)));
 * ```
 */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
