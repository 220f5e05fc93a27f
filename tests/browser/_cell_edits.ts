/**
 * The edit the browser test makes in each notebook after its runs, as a reader would: one small
 * constant whose new value shows in the cell's output.
 *
 * @module
 */

/**
 * One edit of one code cell: the literal `from` just after `after` becomes `to`. The cell is the
 * one code cell whose source holds `after` followed by `from` (found by content, so that cells
 * added or moved elsewhere in the notebook do not matter).
 */
export interface CellEdit {
  /** What the edit changes, in words. */
  what: string;
  /** The text just before the literal. */
  after: string;
  /** The literal as the notebook has it. */
  from: string;
  /** What the test types instead. */
  to: string;
  /** Text that the cell's outputs show after the edit and did not show before. */
  expect: string;
  /**
   * What runs after the edit: the edited cell alone (Shift+Enter), or the whole notebook again
   * (Kernel → Restart & Run All), as a reader changing a setting does.
   *
   * @default {"cell"}
   */
  rerun?: "cell" | "all";
  /** Text in the source of the code cell whose outputs must show `expect`. @default {the edited cell} */
  shownBy?: string;
}

/** The edit for each notebook, by its number. */
export const CELL_EDITS: Readonly<Record<string, CellEdit>> = {
  "01": {
    what: "the target class c, 0 → 2",
    after: "const c = ",
    from: "0",
    to: "2",
    expect: "l = -log y_2 = ",
  },
  "02": {
    what: "a weight of the changed second layer, V[0][1] 0.5 → 0.25",
    after: "const changedV = [[1, ",
    from: "0.5",
    to: "0.25",
    expect: "(1, 0.25)",
  },
  "03": {
    what: "the learning rate in the settings cell, 0.03 → 0.1, then Restart & Run All",
    after: "const LR = ",
    from: "0.03",
    to: "0.1",
    rerun: "all",
    shownBy: "const run = await trainScalar(data.train",
    expect: "2-3-2, lr 0.1 ",
  },
  "04": {
    what: "the learning rate in the settings cell, 0.5 → 0.25, then Restart & Run All",
    after: "const LR = ",
    from: "0.5",
    to: "0.25",
    rerun: "all",
    shownBy: "const trainRandom = new Random(SEED);",
    expect: "50\t0.25\t",
  },
  "05": {
    what: "a learning rate added to the plain grid in the settings cell, then Restart & Run All: " +
      "only its runs train (2 seeds in quick mode), every other run comes from the run store",
    after: "const RATES = [",
    from: "0.001",
    to: "0.0003, 0.001",
    rerun: "all",
    shownBy: "provenance()",
    expect: "reused from the run store, 2 trained",
  },
  "06": {
    what: "the batches the saturation probe follows, 40 → 30 (quick mode), then Restart & Run All",
    after: "const PROBE_BATCHES = QUICK ? ",
    from: "40",
    to: "30",
    rerun: "all",
    shownBy: "const shareAt = (init: InitName",
    expect: "after 30 batches",
  },
};
