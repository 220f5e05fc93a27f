/**
 * An exp and a log of the project's own, in plain float64 arithmetic (+ − × ÷, comparisons and
 * the bits of a number read through typed arrays), so that every JavaScript engine computes them
 * bit for bit alike. Math.exp, Math.log, Math.sin and Math.cos are not: Deno 2.9.6's V8 (15.0)
 * differs in the last bit from Node 20's V8 (11.3) and Debian's Chromium 150 for 1,917 (exp),
 * 1,318 (log), 630 (sin) and 650 (cos) of 20,000 arguments (Node and Chromium agree; Math.sqrt
 * is the same everywhere, as IEEE 754 requires of it). The scalar network (lib/scalar) and the
 * seeded normal draws (lib/data/random.ts) use these, so the report's widget trains chapter 03's
 * network in a browser to the notebook's numbers, bit for bit (tests/browser_entry_test.ts).
 *
 * The algorithms are fdlibm's (Sun, 1993), e_exp.c and e_log.c, written anew here; both are
 * accurate to less than 1 ulp (tests/data/portable_math_test.ts holds them to Math's). On 800,000
 * arguments they equal Node 20's Math.exp and Math.log bit for bit (its V8 ports fdlibm).
 *
 * @module
 */

const LN2_HI = 6.93147180369123816490e-01; // ln 2 to 32 bits: k · LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI
const INV_LN2 = 1.44269504088896338700e+00;
const EXP_OVERFLOW = 7.09782712893383973096e+02; // above it, e^x > the largest double
const EXP_UNDERFLOW = -7.45133219101941108420e+02; // below it, e^x < half the smallest subnormal
// powers of two as literals (decimal literals are read exactly alike everywhere; ** need not be)
const TWO_M1000 = 9.33263618503218878990e-302; // 2^−1000
const TWO_54 = 18014398509481984; // 2^54
const MIN_NORMAL = 2.2250738585072014e-308; // 2^−1022, the smallest normal double
// the polynomial of e_exp.c: R(r²) ≈ r (e^r + 1) / (e^r − 1) − 2 on [−ln2 / 2, ln2 / 2]
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;
// the polynomial of e_log.c: R(s) ≈ log((1 + s) / (1 − s)) / s − 2 in powers of s², s² ≤ 0.0295
const LG1 = 6.666666666666735130e-01;
const LG2 = 3.999999999940941908e-01;
const LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01;
const LG5 = 1.818357216161805012e-01;
const LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;

// one double and its two 32-bit words; the high word (sign, exponent, top of the mantissa) is
// words[HIGH]: 1 on little-endian machines (every one JavaScript runs on today), 0 on big-endian
const double = new Float64Array(1);
const words = new Int32Array(double.buffer);
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0];

/** The double whose high 32 bits are `high` and low 32 bits are 0. */
function fromHighWord(high: number): number {
  words[HIGH] = high;
  words[1 - HIGH] = 0;
  return double[0];
}

// e_exp.c's reduction thresholds on the high word of |x|, as doubles
const HALF_LN2_BOUND = fromHighWord(0x3fd62e43); // |x| < this (about ½ ln 2): k = 0
const TINY = fromHighWord(0x3e300000); // |x| < this (2^−28): e^x = 1 + x
// 2^k for k = −1074 … 1023, at POW2[k + 1074], each the one before doubled (exact)
const POW2 = new Float64Array(2098);
for (let i = 0, p = Number.MIN_VALUE; i < POW2.length; i++, p *= 2) POW2[i] = p;

/**
 * e^x, to less than 1 ulp (fdlibm's e_exp.c): x = k ln 2 + r with |r| ≤ ½ ln 2 and ln 2 split
 * in two, e^r from a rational approximation, then scaled by 2^k. fdlibm's shortcuts for k = 0
 * and k = ±1 are left out: the general formulas give the same bits there, and a function this
 * short is inlined by V8 into the training loop (which the bench measures).
 *
 * @param x Any double.
 * @returns e^x: Infinity above 709.78…, 0 below −745.13…, NaN for NaN, 1 for ±0.
 *
 * @example Special values and a round trip
 * ```ts
 * import { portableExp, portableLog } from "./portable_math.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals([portableExp(0), portableExp(-Infinity), portableExp(710)], [1, 0, Infinity]);
 * assertAlmostEquals(portableLog(portableExp(1.5)), 1.5, 1e-15);
 * ```
 */
export function portableExp(x: number): number {
  if (!(x >= EXP_UNDERFLOW && x <= EXP_OVERFLOW)) return x > 0 ? Infinity : x < 0 ? 0 : x; // NaN
  const ax = Math.abs(x);
  if (ax < TINY) return 1 + x;
  const k = ax < HALF_LN2_BOUND ? 0 : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
  const hi = x - k * LN2_HI, lo = k * LN2_LO, r = hi - lo; // k · LN2_HI is exact
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - ((lo - (r * c) / (2 - c)) - hi); // e^r, in [0.7, 1.5)
  return k >= -1021 && k <= 1023 ? y * POW2[k + 1074] : scaleFar(y, k);
}

/** y · 2^k for the k whose 2^k is not a normal double: 1024, and −1075 … −1022 (a subnormal). */
function scaleFar(y: number, k: number): number {
  if (k === 1024) return y * 2 * POW2[1023 + 1074];
  return y * POW2[k + 1000 + 1074] * TWO_M1000; // one rounding, in the last ×
}

/**
 * The natural logarithm log x, to less than 1 ulp (fdlibm's e_log.c): x = 2^k (1 + f) with
 * 1 + f in [√2/2, √2), then log(1 + f) = 2 atanh(s) with s = f / (2 + f), from a polynomial in
 * s², and log x = k ln 2 + log(1 + f) with ln 2 split in two. fdlibm's shortcuts for k = 0 are
 * left out, as in {@linkcode portableExp}: the same bits, and short enough to be inlined.
 *
 * @param x Any double.
 * @returns log x: NaN for x < 0 and NaN, −Infinity for ±0, Infinity for Infinity.
 *
 * @example Special values and a round trip
 * ```ts
 * import { portableExp, portableLog } from "./portable_math.ts";
 * import { assertAlmostEquals, assertEquals } from "@std/assert";
 *
 * assertEquals([portableLog(1), portableLog(0), portableLog(-1)], [0, -Infinity, NaN]);
 * assertAlmostEquals(portableExp(portableLog(7)), 7, 1e-14);
 * ```
 */
export function portableLog(x: number): number {
  if (!(x > 0 && x < Infinity)) return x === 0 ? -Infinity : x > 0 ? x : NaN;
  const subnormal = x < MIN_NORMAL;
  const normal = subnormal ? x * TWO_54 : x; // a subnormal is scaled up by 2^54
  double[0] = normal;
  const hx = words[HIGH] & 0x000fffff; // the top 20 bits of the mantissa
  // normal = 2^e (1 + f) with 1 + f in [√2/2, √2): e is the exponent, one more where 1.hx ≥ √2
  const e = (words[HIGH] >> 20) - 1023 + (((hx + 0x95f64) & 0x100000) >> 20);
  const f = normal * POW2[1074 - e] - 1; // exact: a power of two scales
  const dk = subnormal ? e - 54 : e;
  if ((0x000fffff & (2 + hx)) < 3) return logNearPowerOfTwo(f, dk); // |f| < 2^−20
  const s = f / (2 + f);
  const z = s * s, w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) { // 1 + f far from 1: ½ f² kept apart
    const hfsq = 0.5 * f * f;
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** log(2^k (1 + f)) for |f| < 2^−20: log(1 + f) ≈ f − f²/2 + f³/3. */
function logNearPowerOfTwo(f: number, k: number): number {
  if (f === 0) return k * LN2_HI + k * LN2_LO;
  const R = f * f * (0.5 - 0.33333333333333333 * f);
  return k * LN2_HI - ((R - k * LN2_LO) - f);
}
