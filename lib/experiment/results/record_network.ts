/**
 * The network a grid's run trained, back as an {@linkcode Mlp}.
 *
 * @module
 */

import { Mlp } from "../../nn/mlp.ts";
import type { Backend } from "../../tensor/backend.ts";
import { Matrix } from "../../tensor/matrix.ts";
import type { RunRecord } from "./run_record.ts";

/**
 * The trained network of a run whose grid kept it (`keepNetworks: true`), with the run's hidden
 * activation; throws a RangeError naming the run when the record has none.
 *
 * @param record The run's record.
 * @param backend The backend it computes on. @default {defaultBackend()}
 * @returns The network.
 */
export function recordNetwork(record: RunRecord, backend?: Backend): Mlp {
  const { network, config } = record;
  if (network === undefined) {
    throw new RangeError(
      `Expected run ${record.run} (lr ${config.lr}, seed ${config.seed}) to keep its network ` +
        "but found none: pass keepNetworks: true to runGrid",
    );
  }
  const { sizes } = network;
  return new Mlp({
    weights: network.weights.map((W, l) => new Matrix(sizes[l], sizes[l + 1], W.slice())),
    biases: network.biases.map((b, l) => new Matrix(1, sizes[l + 1], b.slice())),
  }, { activations: config.activation, ...backend === undefined ? {} : { backend } });
}
