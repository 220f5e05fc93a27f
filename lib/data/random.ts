/**
 * A seeded pseudo-random generator of the project's own: xoshiro128** seeded through splitmix32.
 * Every function in lib/ that draws takes a {@linkcode Random} or a seed explicitly.
 *
 * @module
 */

import { portableLog } from "./portable_math.ts";

/** A seed (any safe integer) or a generator to draw from. */
export type RandomSource = number | Random;

/**
 * A seeded generator of uniform and normal draws, permutations and integers: the same seed gives
 * the same numbers on every machine.
 *
 * @example Same seed, same draws
 * ```ts
 * import { Random } from "./random.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const a = new Random(42);
 * const b = new Random(42);
 * assertEquals([a.uniform(), a.normal()], [b.uniform(), b.normal()]);
 * ```
 */
export class Random {
  /** The seed this generator was created with. */
  readonly seed: number;
  #s: Uint32Array;
  #spareNormal: number | undefined = undefined;

  /** @param seed A safe integer (negative allowed). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Expected seed to be a safe integer but found ${seed}`);
    }
    this.seed = seed;
    // splitmix32 over both 32-bit halves of the seed fills the four state words
    let x = (seed | 0) ^ Math.floor(seed / 2 ** 32) * 0x9e3779b9;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s = Uint32Array.of(next(), next(), next(), next());
  }

  /** The next 32 random bits as an unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform draw from [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /**
   * A normal draw (Marsaglia's polar method): a point (u, v) uniform in the unit disc, s = u² + v²,
   * gives two independent normals u m and v m with m = √(−2 log s / s); the second is kept for the
   * next call. Only log (the portable one), √ and ÷: the same draws in every JavaScript engine.
   *
   * @param mean The mean. @default {0}
   * @param std The standard deviation. @default {1}
   */
  normal(mean = 0, std = 1): number {
    const spare = this.#spareNormal;
    this.#spareNormal = undefined;
    if (spare !== undefined) return mean + std * spare;
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0); // a point in the disc, not its centre: log s is finite
    const m = Math.sqrt(-2 * portableLog(s) / s);
    this.#spareNormal = v * m;
    return mean + std * (u * m);
  }

  /**
   * A uniform integer from 0 to n − 1.
   *
   * @param n The number of outcomes, a positive integer below 2^32.
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new RangeError(`Expected n to be an integer from 1 to 2^32 but found ${n}`);
    }
    // rejection sampling: no modulo bias
    const limit = 2 ** 32 - (2 ** 32 % n);
    let r: number;
    do r = this.nextUint32(); while (r >= limit);
    return r % n;
  }

  /**
   * Shuffles an array in place (Fisher–Yates) and returns it.
   *
   * @param array The array or typed array to shuffle.
   */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      [array[i], array[j]] = [array[j], array[i]];
    }
    return array;
  }

  /**
   * A random permutation of 0 … n − 1.
   *
   * @param n The length of the permutation.
   */
  permutation(n: number): Uint32Array {
    return this.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  }
}

/**
 * The generator for a seed, or the generator itself when one is given.
 *
 * @param source A seed or a generator.
 * @returns The generator.
 */
export function toRandom(source: RandomSource): Random {
  return source instanceof Random ? source : new Random(source);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
