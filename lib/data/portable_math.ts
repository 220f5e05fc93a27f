/**
 * An exp and a log of the project's own, in plain float64 arithmetic (+ − × ÷, comparisons and
 * the bits of a number read through a DataView), so that every JavaScript engine computes them
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
const TWO_M1000 = 2 ** -1000;
const TWO_54 = 2 ** 54;
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

// the bits of one double: high word at offset 0, low word at 4 (big-endian on every machine)
const bits = new DataView(new ArrayBuffer(8));

/** The double whose high 32 bits are `high` and low 32 bits are 0. */
function fromHighWord(high: number): number {
  bits.setUint32(0, high);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

// e_exp.c's reduction thresholds on the high word of |x|, as doubles
const HALF_LN2_BOUND = fromHighWord(0x3fd62e43); // |x| ≥ this: reduce (|x| > ½ ln 2)
const ONE_AND_HALF_LN2_BOUND = fromHighWord(0x3ff0a2b2); // |x| < this: k = ±1 (|x| < 1.5 ln 2)
const TINY = fromHighWord(0x3e300000); // |x| < this (2^−28): e^x = 1 + x
// 2^k for the normal exponents k = −1022 … 1023, at POW2[k + 1022]
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => fromHighWord((i + 1) << 20));

/**
 * e^x, to less than 1 ulp (fdlibm's e_exp.c): x = k ln 2 + r with |r| ≤ ½ ln 2 and ln 2 split
 * in two, e^r from a rational approximation, then scaled by 2^k.
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
  const ax = Math.abs(x);
  if (!(ax < EXP_OVERFLOW)) { // |x| ≥ 709.78…, ±Infinity or NaN
    if (x !== x) return x;
    if (x > EXP_OVERFLOW) return Infinity;
    if (x < EXP_UNDERFLOW) return 0;
  }
  let hi = x, lo = 0, k = 0;
  if (ax >= HALF_LN2_BOUND) {
    if (ax < ONE_AND_HALF_LN2_BOUND) k = x < 0 ? -1 : 1;
    else k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI; // exact
    lo = k * LN2_LO;
    x = hi - lo; // r
  } else if (ax < TINY) return 1 + x;
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi); // e^r, in [0.7, 1.5)
  if (k >= -1021) return k === 1024 ? y * 2 * POW2[1023 + 1022] : y * POW2[k + 1022];
  return y * POW2[k + 1000 + 1022] * TWO_M1000; // subnormal result: one rounding, in the last ×
}

/**
 * The natural logarithm log x, to less than 1 ulp (fdlibm's e_log.c): x = 2^k (1 + f) with
 * 1 + f in [√2/2, √2), then log(1 + f) = 2 atanh(s) with s = f / (2 + f), from a polynomial in
 * s², and log x = k ln 2 + log(1 + f) with ln 2 split in two.
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
  if (!(x > 0) || x === Infinity) {
    if (x === 0) return -Infinity;
    return x < 0 ? NaN : x; // NaN, negatives, Infinity
  }
  bits.setFloat64(0, x);
  let hx = bits.getInt32(0), k = 0;
  if (hx < 0x00100000) { // subnormal: scale up by 2^54
    k = -54;
    bits.setFloat64(0, x * TWO_54);
    hx = bits.getInt32(0);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000; // set when the mantissa is ≥ √2: then halve it
  bits.setInt32(0, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = bits.getFloat64(0) - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2^−20
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s, w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) { // 1 + f far from 1: ½ f² kept apart
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}
