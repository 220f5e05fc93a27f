#!/usr/bin/env bash
# Command 1: execute every notebook in notebooks/ top to bottom with the project's Deno kernel,
# save the executed notebooks in place (they are committed with their outputs), and write the
# HTML report to build/report/index.html. Installs what it needs when missing (scripts/setup.sh).
# Stops at the first failing cell with the notebook's name, the cell and the error (exit 1).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

shopt -s nullglob
notebooks=("$ROOT"/notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  say "report: no notebooks in notebooks/"
  exit 1
fi
# The chapters save their grids into data/results/ (only this command does), reuse the runs the
# run store holds (seeded first from data/results/), and train again BACKPROP_AUDIT of the reused
# runs per notebook (default 2, "all" for every one), stopping on any that differs.
export BACKPROP_REPORT=1
export BACKPROP_AUDIT="${BACKPROP_AUDIT:-2}"
"$DENO" run --allow-all "$ROOT/scripts/seed_run_store.ts"
"$PYTHON" "$ROOT/scripts/run_notebooks.py" execute "${notebooks[@]}"
# the executed notebooks open trusted in the notebook command: plots and tables show at once
trust_notebooks "${notebooks[@]}"
rm -rf "$ROOT/build/report"
"$PYTHON" "$ROOT/scripts/run_notebooks.py" html --out "$ROOT/build/report" "${notebooks[@]}"
echo "report: open build/report/index.html"
