/**
 * Seeds the run store (.cache/runs/, or BACKPROP_CACHE's folder) from the results committed in
 * data/results/: run by the report and notebook commands before any notebook, so a fresh clone
 * reuses the committed runs whose keys this machine computes too. Prints one line of counts.
 *
 * @module
 */

import { seedRunStore } from "../lib/experiment/results/load_grid_result.ts";
import { RunStore } from "../lib/store/run_store.ts";

const store = RunStore.fromEnv();
if (store === null) {
  console.error("run store: off (BACKPROP_CACHE=off), not seeded");
} else {
  const { files, added, present, unkeyed } = seedRunStore(store);
  console.error(
    `run store: ${added} runs added from ${files} results files in data/results/ ` +
      `(${present} there already${
        unkeyed > 0 ? `, ${unkeyed} without a key` : ""
      }), in ${store.dir}`,
  );
}
