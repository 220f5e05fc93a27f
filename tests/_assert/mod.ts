/**
 * A small stand-in for `jsr:@std/assert@1`, which these machines cannot reach: the same function
 * names and signatures, so tests import from "@std/assert" and deno.json's import map may point
 * at `jsr:@std/assert@1` instead with nothing else changed.
 *
 * @module
 */

/** Error thrown when an assertion fails. */
export class AssertionError extends Error {
  /**
   * Creates an assertion error.
   *
   * @param message The message.
   */
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function suffix(msg?: string): string {
  return msg ? `: ${msg}` : "";
}

function show(value: unknown): string {
  return Deno.inspect(value, {
    depth: Infinity,
    sorted: true,
    trailingComma: true,
    compact: false,
  });
}

/**
 * Deep equality as in std: same type, same keys, same elements; NaN equals NaN; Dates, Maps,
 * Sets, typed arrays and plain objects compared by content.
 *
 * @param a One value.
 * @param b The other.
 */
export function equal(a: unknown, b: unknown): boolean {
  const seen = new Map<unknown, unknown>();
  function compare(a: unknown, b: unknown): boolean {
    if (Object.is(a, b)) return true;
    if (typeof a === "number" && typeof b === "number") return a === b;
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (seen.get(a) === b) return true;
    seen.set(a, b);
    if (a instanceof Date) return a.getTime() === (b as Date).getTime();
    if (a instanceof RegExp) return String(a) === String(b);
    if (a instanceof Map) {
      const m = b as Map<unknown, unknown>;
      if (a.size !== m.size) return false;
      for (const [key, value] of a) if (!m.has(key) || !compare(value, m.get(key))) return false;
      return true;
    }
    if (a instanceof Set) {
      const s = b as Set<unknown>;
      if (a.size !== s.size) return false;
      for (const value of a) if (!s.has(value)) return false;
      return true;
    }
    if (ArrayBuffer.isView(a)) {
      const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!compare(x[i], y[i])) return false;
      return true;
    }
    const keysA = Reflect.ownKeys(a), keysB = Reflect.ownKeys(b);
    if (keysA.length !== keysB.length) return false;
    for (const key of keysA) {
      if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
      if (
        !compare((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key])
      ) {
        return false;
      }
    }
    return true;
  }
  return compare(a, b);
}

/**
 * Asserts that an expression is truthy.
 *
 * @param expr The expression.
 * @param msg The message shown on failure.
 */
export function assert(expr: unknown, msg = ""): asserts expr {
  if (!expr) throw new AssertionError(msg);
}

/**
 * Asserts that an expression is falsy.
 *
 * @param expr The expression.
 * @param msg The message shown on failure.
 */
export function assertFalse(expr: unknown, msg = ""): void {
  if (expr) throw new AssertionError(msg);
}

/**
 * Asserts deep equality (see {@linkcode equal}).
 *
 * @param actual The actual value.
 * @param expected The expected value.
 * @param msg Extra text for the failure message.
 */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (equal(actual, expected)) return;
  throw new AssertionError(
    `Values are not equal${suffix(msg)}\n\n    [Actual] ${show(actual)}\n  [Expected] ${
      show(expected)
    }`,
  );
}

/**
 * Asserts deep inequality.
 *
 * @param actual The actual value.
 * @param expected The value it must differ from.
 * @param msg Extra text for the failure message.
 */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!equal(actual, expected)) return;
  throw new AssertionError(
    `Expected actual: ${show(actual)} not to be: ${show(expected)}${suffix(msg)}`,
  );
}

/**
 * Asserts `Object.is(actual, expected)`.
 *
 * @param actual The actual value.
 * @param expected The expected value.
 * @param msg Extra text for the failure message.
 */
export function assertStrictEquals<T>(
  actual: unknown,
  expected: T,
  msg?: string,
): asserts actual is T {
  if (Object.is(actual, expected)) return;
  throw new AssertionError(
    `Values are not strictly equal${suffix(msg)}\n\n    [Actual] ${show(actual)}\n  [Expected] ${
      show(expected)
    }`,
  );
}

/**
 * Asserts that two numbers are within a tolerance: |actual − expected| ≤ tolerance, with the
 * std default tolerance of 1e-7 relative to the expected value (absolute 1e-7 near zero).
 *
 * @param actual The actual number.
 * @param expected The expected number.
 * @param tolerance The largest allowed absolute difference. @default {1e-7 · |expected| or 1e-7}
 * @param msg Extra text for the failure message.
 */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance?: number,
  msg?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  const allowed = tolerance ?? (Math.abs(expected) * 1e-7 || 1e-7);
  if (delta <= allowed) return;
  throw new AssertionError(
    `Expected actual: "${actual}" to be close to "${expected}": delta "${
      delta.toExponential(3)
    }" is greater than "${allowed.toExponential(3)}"${suffix(msg)}`,
  );
}

/**
 * Asserts `actual > expected`.
 *
 * @param actual The actual value.
 * @param expected The bound.
 * @param msg Extra text for the failure message.
 */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  if (actual > expected) return;
  throw new AssertionError(`Expect ${show(actual)} > ${show(expected)}${suffix(msg)}`);
}

/**
 * Asserts `actual >= expected`.
 *
 * @param actual The actual value.
 * @param expected The bound.
 * @param msg Extra text for the failure message.
 */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (actual >= expected) return;
  throw new AssertionError(`Expect ${show(actual)} >= ${show(expected)}${suffix(msg)}`);
}

/**
 * Asserts `actual < expected`.
 *
 * @param actual The actual value.
 * @param expected The bound.
 * @param msg Extra text for the failure message.
 */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  if (actual < expected) return;
  throw new AssertionError(`Expect ${show(actual)} < ${show(expected)}${suffix(msg)}`);
}

/**
 * Asserts `actual <= expected`.
 *
 * @param actual The actual value.
 * @param expected The bound.
 * @param msg Extra text for the failure message.
 */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (actual <= expected) return;
  throw new AssertionError(`Expect ${show(actual)} <= ${show(expected)}${suffix(msg)}`);
}

/**
 * Asserts that a value is neither null nor undefined.
 *
 * @param actual The value.
 * @param msg The message shown on failure.
 */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === undefined || actual === null) {
    throw new AssertionError(msg ?? `Expected actual: "${actual}" to not be null or undefined`);
  }
}

/**
 * Asserts that a string contains a substring.
 *
 * @param actual The string.
 * @param expected The substring.
 * @param msg Extra text for the failure message.
 */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (actual.includes(expected)) return;
  throw new AssertionError(
    `Expected actual: "${actual}" to contain: "${expected}"${suffix(msg)}`,
  );
}

/**
 * Asserts that a string matches a regular expression.
 *
 * @param actual The string.
 * @param expected The pattern.
 * @param msg Extra text for the failure message.
 */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  if (expected.test(actual)) return;
  throw new AssertionError(`Expected actual: "${actual}" to match: "${expected}"${suffix(msg)}`);
}

/**
 * Asserts that an array includes every expected element (deep equality).
 *
 * @param actual The array.
 * @param expected The elements it must include.
 * @param msg Extra text for the failure message.
 */
export function assertArrayIncludes<T>(
  actual: ArrayLike<T>,
  expected: ArrayLike<T>,
  msg?: string,
): void {
  const missing: T[] = [];
  for (let i = 0; i < expected.length; i++) {
    let found = false;
    for (let j = 0; j < actual.length && !found; j++) found = equal(expected[i], actual[j]);
    if (!found) missing.push(expected[i] as T);
  }
  if (missing.length === 0) return;
  throw new AssertionError(
    `Expected actual: "${show(actual)}" to include: "${show(expected)}"${suffix(msg)}\nmissing: ${
      show(missing)
    }`,
  );
}

/**
 * Asserts that a value is an instance of a class.
 *
 * @param actual The value.
 * @param expectedType The class.
 * @param msg Extra text for the failure message.
 */
// deno-lint-ignore no-explicit-any
export function assertInstanceOf<T extends abstract new (...args: any[]) => any>(
  actual: unknown,
  expectedType: T,
  msg = "",
): asserts actual is InstanceType<T> {
  if (actual instanceof expectedType) return;
  throw new AssertionError(
    msg || `Expected object to be an instance of "${expectedType.name}" but was "${show(actual)}"`,
  );
}

/**
 * Fails unconditionally.
 *
 * @param msg The message.
 */
export function fail(msg?: string): never {
  throw new AssertionError(`Failed assertion${suffix(msg)}`);
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

function checkError<E extends Error>(
  error: unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): void {
  if (ErrorClass === undefined) return;
  if (!(error instanceof ErrorClass)) {
    throw new AssertionError(
      `Expected error to be instance of "${ErrorClass.name}", but was "${
        error instanceof Error ? error.constructor.name : typeof error
      }"${suffix(msg)}${error instanceof Error ? `\n  message: ${error.message}` : ""}`,
    );
  }
  if (msgIncludes !== undefined && !error.message.includes(msgIncludes)) {
    throw new AssertionError(
      `Expected error message to include "${msgIncludes}", but got "${error.message}"${
        suffix(msg)
      }`,
    );
  }
}

/**
 * Asserts that a function throws; returns the error. With an error class, checks its type and,
 * with `msgIncludes`, that its message contains that text.
 *
 * @param fn The function expected to throw.
 * @param ErrorClass The expected error class.
 * @param msgIncludes Text the error message must contain.
 * @param msg Extra text for the failure message.
 */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): E;
/**
 * Asserts that a function throws; returns what it threw.
 *
 * @param fn The function expected to throw.
 * @param msg Extra text for the failure message.
 */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClassOrMsg?: ErrorClass<E> | string,
  msgIncludes?: string,
  msg?: string,
): E | unknown {
  const ErrorClass = typeof errorClassOrMsg === "string" ? undefined : errorClassOrMsg;
  const failMessage = typeof errorClassOrMsg === "string" ? errorClassOrMsg : msg;
  try {
    fn();
  } catch (error) {
    checkError(error, ErrorClass, msgIncludes, failMessage);
    return error;
  }
  throw new AssertionError(`Expected function to throw${suffix(failMessage)}`);
}

/**
 * Asserts that an async function rejects; resolves to the error. With an error class, checks its
 * type and, with `msgIncludes`, that its message contains that text.
 *
 * @param fn The async function expected to reject.
 * @param ErrorClass The expected error class.
 * @param msgIncludes Text the error message must contain.
 * @param msg Extra text for the failure message.
 */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    checkError(error, ErrorClass, msgIncludes, msg);
    return error as E;
  }
  throw new AssertionError(`Expected function to reject${suffix(msg)}`);
}
