#!/usr/bin/env bash
# Starts Jupyter Notebook (Debian's jupyter-notebook) on 127.0.0.1 with the project's Deno kernel
# ("Deno (backprop)"), in notebooks/. Installs what it needs when missing (scripts/setup.sh).
# Marks the committed notebooks trusted, so their plots show before anything is run; autosave is
# off and idle kernels are culled (scripts/jupyter/). Once the server listens it prints
#     notebook: serving at http://127.0.0.1:PORT/?token=TOKEN
# with the port it really got (BACKPROP_PORT, default 8888, or the next free one).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

trust_notebooks "$ROOT"/notebooks/*.ipynb
# runs the committed results hold are reused, not trained again (the run store, lib/store/)
"$DENO" run --allow-all "$ROOT/scripts/seed_run_store.ts"
if [ "${BACKPROP_QUICK:-}" = 1 ]; then
  echo "notebook: quick mode (BACKPROP_QUICK=1): the notebooks run on shrunken data. Autosave is off:"
  echo "notebook: nothing is written over the committed full-run outputs unless you save."
fi

# Jupyter writes nbserver-PID.json to its runtime folder once it listens; exec keeps this PID.
info="$JUPYTER_RUNTIME_DIR/nbserver-$$.json"
rm -f "$info"
(
  while kill -0 $$ 2>/dev/null; do
    if [ -s "$info" ] && url="$("$PYTHON" -c '
import json, sys
info = json.load(open(sys.argv[1]))
print(info["url"] + "?token=" + info["token"])' "$info" 2>/dev/null)"; then
      echo "notebook: serving at $url (kernel: Deno (backprop)); Ctrl-C stops it"
      exit 0
    fi
    sleep 0.2
  done
) &
exec "$PYTHON" -m notebook --ip=127.0.0.1 --port="${BACKPROP_PORT:-8888}" --no-browser \
  --notebook-dir="$ROOT/notebooks" --allow-root
