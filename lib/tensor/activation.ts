/**
 * The hidden layers' activations: each one's forward (bias added in the same pass) beside its
 * backward (from its own outputs), as fused loops over float32 rows.
 *
 * @module
 */

/** The activation names: σ(z) = 1/(1 + e^−z), tanh z, and ReLU max(0, z). */
export type ActivationName = "sigmoid" | "tanh" | "relu";

/** The activation names, in the order they are documented. */
export const ACTIVATION_NAMES: readonly ActivationName[] = ["sigmoid", "tanh", "relu"];

/** An activation: h = f(z + b) row by row, and ∂l/∂z = ∂l/∂h · f′(z) computed from h. */
export interface Activation {
  /** Z ← f(Z + b) in place; Z is (rows, cols), b is (cols). */
  forward(Z: Float32Array, b: Float32Array, rows: number): void;
  /** dH ← dH ⊙ f′, in place, from the outputs H = f(Z); both have n elements. */
  backward(dH: Float32Array, H: Float32Array, n: number): void;
}

/** Z ← g(Z + b) row by row. */
function addBiasThen(g: (z: number) => number) {
  return (Z: Float32Array, b: Float32Array, rows: number) => {
    const cols = b.length;
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      for (let j = 0; j < cols; j++) Z[row + j] = g(Z[row + j] + b[j]);
    }
  };
}

/** dH ← dH ⊙ d(h), with the derivative written in terms of the output h. */
function times(d: (h: number) => number) {
  return (dH: Float32Array, H: Float32Array, n: number) => {
    for (let i = 0; i < n; i++) dH[i] *= d(H[i]);
  };
}

/** Every activation by name. */
export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  // σ′(z) = σ(z)(1 − σ(z)) = h(1 − h)
  sigmoid: {
    forward: addBiasThen((z) => 1 / (1 + Math.exp(-z))),
    backward: times((h) => h * (1 - h)),
  },
  // tanh′(z) = 1 − tanh²(z) = 1 − h²
  tanh: { forward: addBiasThen(Math.tanh), backward: times((h) => 1 - h * h) },
  // ReLU′(z) = 1 where z > 0, that is where h > 0, else 0
  relu: { forward: addBiasThen((z) => (z > 0 ? z : 0)), backward: times((h) => (h > 0 ? 1 : 0)) },
};
