#!/usr/bin/env bash
# Starts Jupyter Notebook (Debian's jupyter-notebook) on 127.0.0.1 with the project's Deno kernel
# ("Deno (backprop)"), in notebooks/. Installs what it needs when missing (scripts/setup.sh).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

port="${BACKPROP_PORT:-8888}"
echo "notebook: Jupyter on http://127.0.0.1:$port/ (kernel: Deno (backprop)); Ctrl-C stops it"
echo "notebook: the login URL with its token follows in Jupyter's own log below"
exec "$PYTHON" -m notebook --ip=127.0.0.1 --port="$port" --no-browser \
  --notebook-dir="$ROOT/notebooks" --allow-root
