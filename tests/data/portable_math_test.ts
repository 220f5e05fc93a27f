// portableExp and portableLog held to Math.exp and Math.log: within 1 ulp over a wide spread of
// arguments (both are within 1 ulp of the true value, so they may differ by one in the last bit,
// which is why the portable ones exist), and every special case exactly.
import { assert, assertEquals } from "@std/assert";
import { portableExp, portableLog } from "../../lib/data/portable_math.ts";
import { Random } from "../../lib/data/random.ts";

const float = new Float64Array(1);
const int = new BigInt64Array(float.buffer);

/** The double with these 64 bits. */
function fromBits(b: bigint): number {
  int[0] = b;
  return float[0];
}

/** A double's position on the number line in ulps: adjacent doubles differ by 1, ±0 are both 0. */
function ordinal(x: number): bigint {
  float[0] = x;
  return int[0] < 0n ? -(int[0] & 0x7fffffffffffffffn) : int[0];
}

/** The double at this position on the number line (the inverse of {@linkcode ordinal}). */
function fromOrdinal(o: bigint): number {
  return fromBits(o < 0n ? -o | -0x8000000000000000n : o);
}

/**
 * Holds `mine` to `reference` within 1 ulp at every argument (a NaN only where the reference gives
 * one); returns how many arguments differ in the last bit.
 */
function assertWithinOneUlp(
  mine: (x: number) => number,
  reference: (x: number) => number,
  args: readonly number[],
): number {
  let differ = 0;
  for (const x of args) {
    assert(!Number.isNaN(x), "Expected every argument to be a number but found NaN");
    const got = mine(x), want = reference(x);
    if (Object.is(got, want)) continue;
    const ulps = ordinal(got) - ordinal(want);
    assert(
      !Number.isNaN(got) && !Number.isNaN(want) && ulps >= -1n && ulps <= 1n,
      `Expected ${want} at ${x} but found ${got} (${ulps} ulps apart)`,
    );
    differ++;
  }
  return differ;
}

const random = new Random(22);
/** n draws from [low, high). */
const spread = (n: number, low: number, high: number) =>
  Array.from({ length: n }, () => low + (high - low) * random.uniform());
/** n doubles from random bits: every exponent equally likely, subnormals included. */
const anyPositive = (n: number) =>
  Array.from(
    { length: n },
    () => fromBits(BigInt(random.nextUint32() % 0x7ff00000) << 32n | BigInt(random.nextUint32())),
  );
/** The k doubles on each side of x. */
const around = (x: number, k: number) => {
  const o = ordinal(x);
  return Array.from({ length: 2 * k + 1 }, (_, i) => fromOrdinal(o + BigInt(i - k)));
};

const LN2 = Math.LN2;
const EXP_OVERFLOW = 709.782712893384; // the largest x with a finite e^x
const EXP_UNDERFLOW = -745.1332191019411; // the smallest x with e^x > 0

Deno.test("portableExp() is within 1 ulp of Math.exp across its whole range", () => {
  const powers = Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));
  const args = [
    ...spread(200_000, EXP_UNDERFLOW, EXP_OVERFLOW),
    ...spread(50_000, -2, 2),
    ...spread(20_000, EXP_UNDERFLOW, -708.4), // subnormal results
    ...powers.filter((p) => p < 710).flatMap((p) => [p, -p]), // near 0, subnormals too
    ...[EXP_OVERFLOW, EXP_UNDERFLOW, -708.3964185322641].flatMap((x) => around(x, 1000)),
    ...[0.5, 1.5, 1024, -1021, -1022, -1074].flatMap((
      k,
    ) => [...around(k * LN2, 50), ...around(-k * LN2, 50)]),
    ...around(2 ** -28, 50),
    ...Array.from({ length: 1455 }, (_, i) => i - 745), // integers
  ];
  const differ = assertWithinOneUlp(portableExp, Math.exp, args);
  console.log(`portableExp: ${differ} of ${args.length} arguments differ from Math.exp by 1 ulp`);
});

Deno.test("portableLog() is within 1 ulp of Math.log across its whole range", () => {
  const powers = Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));
  const args = [
    ...anyPositive(200_000),
    ...spread(50_000, 0.5, 2),
    ...powers.flatMap((p) => around(p, 2)),
    ...around(1, 5000), // 1 ± tiny: log x ≈ x − 1
    ...spread(20_000, 1 - 2 ** -20, 1 + 2 ** -20),
    ...around(Math.SQRT2, 100),
    ...around(Math.SQRT1_2, 100),
    ...around(Number.MAX_VALUE, 100).filter(Number.isFinite),
    ...around(5e-324, 100).filter((x) => x > 0),
    ...Array.from({ length: 10_000 }, (_, i) => i + 1),
  ];
  const differ = assertWithinOneUlp(portableLog, Math.log, args);
  console.log(`portableLog: ${differ} of ${args.length} arguments differ from Math.log by 1 ulp`);
});

Deno.test("portableExp() gives Math's special values exactly", () => {
  const cases: [number, number][] = [
    [NaN, NaN],
    [Infinity, Infinity],
    [-Infinity, 0],
    [0, 1],
    [-0, 1],
    [5e-324, 1],
    [-5e-324, 1],
    [fromOrdinal(ordinal(EXP_OVERFLOW) + 1n), Infinity],
    [710, Infinity],
    [Number.MAX_VALUE, Infinity],
    [EXP_UNDERFLOW, 5e-324],
    [-745.14, 0],
    [-1000, 0],
    [-Number.MAX_VALUE, 0],
  ];
  assertEquals(cases.map(([x]) => portableExp(x)), cases.map(([, want]) => want));
  assert(Object.is(portableExp(-1000), 0), "exp(−1000) is +0");
  assert(portableExp(EXP_OVERFLOW) < Infinity, `exp(${EXP_OVERFLOW}) is finite`);
});

Deno.test("portableLog() gives Math's special values exactly", () => {
  const cases: [number, number][] = [
    [NaN, NaN],
    [-1, NaN],
    [-5e-324, NaN],
    [-Infinity, NaN],
    [0, -Infinity],
    [-0, -Infinity],
    [Infinity, Infinity],
    [1, 0],
  ];
  assertEquals(cases.map(([x]) => portableLog(x)), cases.map(([, want]) => want));
  assert(Object.is(portableLog(1), 0), "log 1 is +0");
  assertEquals(portableLog(2 ** -1074), -1074 * LN2); // the smallest subnormal
  assertEquals(portableLog(2 ** 1023), 1023 * LN2);
});
