// The sigmoid against the scalar network's (double precision, the oracle) and its backward pass
// against central finite differences of the forward one.
import { assertEquals, assertThrows } from "@std/assert";
import { scalarSigmoidForward } from "../../../lib/scalar/sigmoid.ts";
import { sigmoidBackward, sigmoidForward } from "./sigmoid.ts";
import { assertMatrixClose, Matrix, Random, randomMatrix } from "../_helpers.ts";

Deno.test("sigmoidForward() matches the scalar sigmoid, saturating cleanly", () => {
  const k = Matrix.from([[0, 1, -1, 2], [30, -30, 100, -100], [88, -88, 1e30, -1e30]]);
  const expected = new Matrix(3, 4, Float32Array.from(scalarSigmoidForward(Array.from(k.data))));
  assertMatrixClose(sigmoidForward(k), expected, 1e-6);
  // in place
  sigmoidForward(k, { out: k });
  assertEquals(k.get(0, 0), 0.5);
  assertEquals(k.get(2, 3), 0);
  assertEquals(k.get(2, 2), 1);
});

Deno.test("sigmoidBackward() matches central finite differences", () => {
  const random = new Random(30);
  const k = randomMatrix(random, [4, 6]);
  const dH = randomMatrix(random, [4, 6]);
  const h = sigmoidForward(k);
  const dK = sigmoidBackward(dH, h);
  // l = Σ dH ⊙ σ(k), so ∂l/∂k_ij ≈ dH_ij (σ(k_ij + ε) − σ(k_ij − ε)) / 2ε
  const eps = 1e-2;
  const numeric = new Matrix(4, 6);
  for (let i = 0; i < k.size; i++) {
    const plus = k.clone(), minus = k.clone();
    plus.data[i] += eps;
    minus.data[i] -= eps;
    const hPlus = sigmoidForward(plus), hMinus = sigmoidForward(minus);
    numeric.data[i] = dH.data[i] * (hPlus.data[i] - hMinus.data[i]) / (2 * eps);
  }
  assertMatrixClose(dK, numeric, 1e-3);
});

Deno.test(
  "sigmoidBackward() gives dH · h · (1 − h), with out aliasing either input",
  () => {
    const dH = Matrix.from([[1, 2, -4]]), h = Matrix.from([[0.5, 0.5, 0.25]]);
    const expected = [[0.25, 0.5, -0.75]];
    assertEquals(sigmoidBackward(dH, h).toArray(), expected);
    assertEquals(sigmoidBackward(dH, h.clone(), { out: dH.clone() }).toArray(), expected);
    const h2 = h.clone();
    assertEquals(sigmoidBackward(dH, h2, { out: h2 }).toArray(), expected);
    const dH2 = dH.clone();
    assertEquals(sigmoidBackward(dH2, h, { out: dH2 }).toArray(), expected);
    assertThrows(
      () => sigmoidBackward(new Matrix(50, 300), new Matrix(50, 10)),
      RangeError,
      "Cannot sigmoidBackward: dH is (50, 300) but h is (50, 10)",
    );
  },
);
