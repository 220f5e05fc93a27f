import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { Random, toRandom } from "../../lib/data/random.ts";

function draws(random: Random, count: number, draw: (r: Random) => number): number[] {
  return Array.from({ length: count }, () => draw(random));
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

Deno.test("Random() gives the same stream for the same seed", () => {
  const a = new Random(12345);
  const b = new Random(12345);
  assertEquals(draws(a, 100, (r) => r.nextUint32()), draws(b, 100, (r) => r.nextUint32()));
  assertEquals(draws(a, 50, (r) => r.normal()), draws(b, 50, (r) => r.normal()));
  assertEquals(a.permutation(20), b.permutation(20));
});

Deno.test("Random() gives another stream for another seed", () => {
  const streams = [0, 1, -1, 2 ** 32, 2 ** 40 + 7].map((seed) =>
    draws(new Random(seed), 8, (r) => r.nextUint32()).join(",")
  );
  assertEquals(new Set(streams).size, streams.length);
});

Deno.test("Random() records its seed and rejects seeds that are not safe integers", () => {
  assertEquals(new Random(-3).seed, -3);
  for (const seed of [1.5, NaN, Infinity, 2 ** 53]) {
    assertThrows(() => new Random(seed), RangeError, `but found ${seed}`);
  }
});

Deno.test("Random.uniform() draws from [0, 1) with mean 1/2 and variance 1/12", () => {
  const values = draws(new Random(1), 100_000, (r) => r.uniform());
  assert(values.every((v) => v >= 0 && v < 1));
  const { mean, variance } = meanAndVariance(values);
  // standard errors: mean 0.0009, variance 0.0003
  assertAlmostEquals(mean, 0.5, 0.005);
  assertAlmostEquals(variance, 1 / 12, 0.002);
});

Deno.test("Random.normal() has mean 0 and variance 1, and scales to mean and std", () => {
  const standard = meanAndVariance(draws(new Random(2), 100_000, (r) => r.normal()));
  // standard errors: mean 0.003, variance 0.0045
  assertAlmostEquals(standard.mean, 0, 0.015);
  assertAlmostEquals(standard.variance, 1, 0.025);
  const scaled = meanAndVariance(draws(new Random(3), 100_000, (r) => r.normal(5, 2)));
  assertAlmostEquals(scaled.mean, 5, 0.03);
  assertAlmostEquals(scaled.variance, 4, 0.1);
  const tail = draws(new Random(4), 100_000, (r) => Math.abs(r.normal()) > 1.96 ? 1 : 0);
  assertAlmostEquals(tail.reduce((s, v) => s + v, 0) / tail.length, 0.05, 0.004);
});

Deno.test("Random.normal() has a normal's tails and fourth moment, and independent pairs", () => {
  // the polar method draws two at a time: (a, b) below are the two of one point
  const random = new Random(11);
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < 100_000; i++) a.push(random.normal()), b.push(random.normal());
  const all = [...a, ...b];
  const share = (p: (v: number) => boolean) => all.filter(p).length / all.length;
  // standard errors: 0.00012 beyond 3 (0.0027), 0.0008 below −1 (0.1587), 0.022 for E[x⁴] = 3
  assertAlmostEquals(share((v) => Math.abs(v) > 3), 0.0027, 0.0005);
  assertAlmostEquals(share((v) => v < -1), 0.1587, 0.003);
  assertAlmostEquals(all.reduce((s, v) => s + v ** 4, 0) / all.length, 3, 0.1);
  // the pair's correlation: standard error 0.003
  assertAlmostEquals(a.reduce((s, v, i) => s + v * b[i], 0) / a.length, 0, 0.015);
});

Deno.test("Random.integer() draws every value from 0 to n - 1 and nothing else", () => {
  const random = new Random(5);
  const counts = new Array<number>(7).fill(0);
  for (let i = 0; i < 70_000; i++) {
    const k = random.integer(7);
    assert(Number.isInteger(k) && k >= 0 && k < 7, `integer(7) gave ${k}`);
    counts[k]++;
  }
  for (const count of counts) assertAlmostEquals(count, 10_000, 500);
  assertEquals(random.integer(1), 0);
  const big = random.integer(2 ** 32);
  assert(big >= 0 && big < 2 ** 32);
});

Deno.test("Random.integer() throws a RangeError for n that is not an integer from 1 to 2^32", () => {
  const random = new Random(6);
  for (const n of [0, -1, 1.5, NaN, 2 ** 32 + 1]) {
    assertThrows(() => random.integer(n), RangeError, `Expected n to be an integer`);
    assertThrows(() => random.integer(n), RangeError, `but found ${n}`);
  }
});

Deno.test("Random.permutation() returns a permutation of 0 … n - 1", () => {
  const random = new Random(7);
  for (const n of [0, 1, 2, 10, 1000]) {
    const p = random.permutation(n);
    assertEquals(p.length, n);
    assertEquals([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  assertNotEquals([...random.permutation(50)], Array.from({ length: 50 }, (_, i) => i));
});

Deno.test("Random.shuffle() shuffles in place and returns the same array", () => {
  const values = ["a", "b", "c", "d", "e", "f"];
  const shuffled = new Random(8).shuffle(values);
  assertStrictEquals(shuffled, values);
  assertEquals([...shuffled].sort(), ["a", "b", "c", "d", "e", "f"]);
  // every position of a 3-element shuffle is equally likely for each element
  const random = new Random(9);
  const firsts = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) firsts[random.shuffle([0, 1, 2])[0]]++;
  for (const count of firsts) assertAlmostEquals(count, 10_000, 400);
});

Deno.test("toRandom() returns the generator it is given, or a new one for a seed", () => {
  const random = new Random(10);
  assertStrictEquals(toRandom(random), random);
  const fromSeed = toRandom(10);
  assertEquals(fromSeed.seed, 10);
  assertEquals(fromSeed.nextUint32(), new Random(10).nextUint32());
});
