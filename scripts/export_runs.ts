// Exports stored grids of runs (data/results/<name>.parquet, written by chapters 05 and 06) as the
// JSON the report's run explorer reads (lib/widgets/run_explorer.ts): for every run its rate, seed
// and divergence, its epochs' numbers as stored, and its batch losses as the chapters plot them
// (the centred running mean over 5,000 images, at 300 evenly spaced steps: lib's learningCurve).
// Prints one JSON object, { "<name>": grid, … }, on stdout.
//
//   deno run --allow-read --allow-env --allow-ffi --allow-sys scripts/export_runs.ts NAME...
//
// A name not in data/results/ fails, naming the file.
import { loadGridResult } from "../lib/experiment/results/load_grid_result.ts";
import { learningCurve } from "../lib/stats/learning_curve.ts";

/** Images the running mean of the batch losses covers, as in chapters 05 and 06's figures. */
const WINDOW_IMAGES = 5_000;
/** Points of each run's curve. */
const POINTS = 300;

const results = new URL("../data/results/", import.meta.url);
const names = Deno.args;
if (names.length === 0 || names.some((name) => !/^[\w-]+$/.test(name))) {
  console.error(`export_runs: expected grid names (letters, digits, - and _) but found ${names}`);
  Deno.exit(2);
}

/** A number with 5 significant digits: the curves are drawn, not read back. */
const round = (x: number) => Number(x.toPrecision(5));

const out: Record<string, unknown> = {};
for (const name of names) {
  let grid;
  try {
    grid = loadGridResult(decodeURIComponent(new URL(`${name}.parquet`, results).pathname));
  } catch (error) {
    console.error(`export_runs: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
  const { batchSize } = grid.config;
  const window = Math.round(WINDOW_IMAGES / batchSize);
  out[name] = {
    batchSize,
    epochs: grid.config.epochs,
    optimizer: grid.records[0]?.config.optimizer,
    momentum: grid.config.momentum,
    schedule: grid.config.schedule,
    activation: grid.config.activation,
    split: grid.config.split,
    numBatches: grid.records[0]?.numBatches ?? 0,
    window,
    runs: grid.records.map((record) => ({
      lr: record.config.lr,
      seed: record.config.seed,
      diverged: record.diverged,
      curve: learningCurve(record.batchLosses, { window, numPoints: POINTS })
        .map(({ step, mean }) => [step, round(mean)]),
      epochs: record.epochs.map(({ epoch, trainLoss, trainEvalLoss, evalLoss, evalAccuracy }) => ({
        epoch,
        trainLoss,
        trainEvalLoss,
        evalLoss,
        evalAccuracy,
      })),
    })),
  };
}
console.log(JSON.stringify(out));
