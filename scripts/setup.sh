# Sourced by report.sh, test.sh and notebook.sh: makes sure the pinned Deno, Jupyter and OpenBLAS
# are present, registers the project's Deno kernel in a project-local Jupyter path, and exports
# ROOT, DENO, PYTHON and the JUPYTER_* folders for the caller.
#
# Deno comes from the npm package pinned in tools/deno/package-lock.json, installed inside the
# project. Jupyter (nbclient, nbconvert, notebook, jupyter-client) and OpenBLAS come from Debian's
# packages, installed with apt-get when missing and running as root; otherwise a short message
# says what to install and the script exits non-zero.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
cd "$ROOT"

# Python from Debian (the one apt's Jupyter packages install into), not a pyenv or venv shim.
PYTHON="${BACKPROP_PYTHON:-/usr/bin/python3}"
export PYTHON

say() { printf '%s\n' "$*" >&2; }

# Another apt or dpkg process (unattended upgrades, a second install) may hold the package lock:
# wait for it this long before giving up.
APT_LOCK_WAIT_SECONDS="${BACKPROP_APT_LOCK_WAIT:-300}"

apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT_SECONDS" "$@"
}

apt_install() {
  # $@: Debian package names
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "setup: installing $* with apt-get (once)"
    if ! apt_get install -y "$@" >"$ROOT/build/apt.log" 2>&1; then
      apt_get update >>"$ROOT/build/apt.log" 2>&1 || true
      apt_get install -y "$@" >>"$ROOT/build/apt.log" 2>&1 || {
        say "setup: apt-get install $* failed; see build/apt.log"
        return 1
      }
    fi
    return 0
  fi
  return 1
}

mkdir -p "$ROOT/build"

# --- Deno, pinned, inside the project -------------------------------------------------------
deno_binary() {
  local dir="$ROOT/tools/deno/node_modules"
  for candidate in "$dir/@deno/linux-x64-glibc/deno" "$dir/@deno/linux-arm64-glibc/deno" \
    "$dir/@deno/darwin-x64/deno" "$dir/@deno/darwin-arm64/deno" "$dir/deno/deno" "$dir/.bin/deno"; do
    if [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

if ! DENO="$(deno_binary)"; then
  if ! command -v npm >/dev/null 2>&1; then
    say "setup: npm is needed to install the pinned Deno (tools/deno/package.json)."
    say "  Debian: apt-get install npm   (or install Node.js 20+ from nodejs.org)"
    exit 1
  fi
  say "setup: installing Deno $(sed -n 's/.*"deno": "\(.*\)".*/\1/p' tools/deno/package.json) from npm into tools/deno"
  (cd "$ROOT/tools/deno" && npm ci --no-audit --no-fund --loglevel=error >"$ROOT/build/npm.log" 2>&1) || {
    say "setup: npm ci in tools/deno failed; see build/npm.log"
    exit 1
  }
  DENO="$(deno_binary)" || {
    say "setup: the deno package installed but no deno binary was found under tools/deno/node_modules"
    exit 1
  }
fi
export DENO
export DENO_NO_UPDATE_CHECK=1

# --- the npm packages of deno.json's import map, and the wasm backend's kernels -----------------
# The kernels are assembled from their source, lib/tensor/backends/wasm/kernels.wat, by npm's
# wabt into build/wasm/ (named by the source's hash, so an edited source is rebuilt here and a
# stale binary never loads). Without them the wasm backend does not load and "auto" skips it.
"$DENO" install --quiet >/dev/null 2>&1 || "$DENO" install
"$DENO" run --quiet --allow-read="$ROOT" --allow-write="$ROOT/build/wasm" \
  "$ROOT/scripts/build_wasm.ts" >&2 ||
  say "setup: building the wasm kernels failed (see above): the wasm backend will not load"

# --- Jupyter from Debian's packages ----------------------------------------------------------
jupyter_ok() {
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import nbclient, nbconvert, nbformat, jupyter_client' >/dev/null 2>&1
}
if ! jupyter_ok; then
  apt_install jupyter-nbconvert jupyter-notebook python3-nbclient jupyter-client || true
fi
if ! jupyter_ok; then
  say "setup: Jupyter is missing (nbclient, nbconvert, notebook, jupyter-client for $PYTHON)."
  say "  Debian/Ubuntu, as root: apt-get install jupyter-nbconvert jupyter-notebook python3-nbclient jupyter-client"
  say "  Other systems:          python3 -m pip install nbclient nbconvert notebook jupyter-client"
  say "                          (then set BACKPROP_PYTHON to that python3)"
  exit 1
fi

# --- OpenBLAS (optional at run time: the js backend is the fallback) -------------------------
openblas_ok() {
  ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0' ||
    [ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so.0 ]
}
if ! openblas_ok; then
  apt_install libopenblas0 ||
    say "setup: OpenBLAS (libopenblas0) could not be installed: the matrix products will run on the" \
      "pure-TypeScript backend (js), several times slower. As root: apt-get install libopenblas0"
fi

# --- Jupyter's folders, all inside the project ------------------------------------------------
# Data (kernelspecs, notebook signatures, runtime files) and the user-level config live under
# .jupyter/, never in the home folder; scripts/jupyter/ holds the project's committed Jupyter
# settings (autosave off, idle kernels culled, ...), found through JUPYTER_CONFIG_PATH.
JUPYTER_DATA_DIR="$ROOT/.jupyter/share/jupyter"
JUPYTER_PATH="$JUPYTER_DATA_DIR"
JUPYTER_CONFIG_DIR="$ROOT/.jupyter/config"
JUPYTER_CONFIG_PATH="$ROOT/scripts/jupyter"
JUPYTER_RUNTIME_DIR="$JUPYTER_DATA_DIR/runtime"
export JUPYTER_DATA_DIR JUPYTER_PATH JUPYTER_CONFIG_DIR JUPYTER_CONFIG_PATH JUPYTER_RUNTIME_DIR
mkdir -p "$JUPYTER_DATA_DIR" "$JUPYTER_CONFIG_DIR" "$JUPYTER_RUNTIME_DIR"
# the classic Notebook loads custom.js only from the config folder
ln -sfn "$ROOT/scripts/jupyter/custom" "$JUPYTER_CONFIG_DIR/custom"

# --- the project's Deno kernel, behind the broker ----------------------------------------------
# `deno jupyter --install` writes the kernelspec (and its logos) under $HOME/.local/share/jupyter;
# point HOME at a folder of the project for that one call, so the user's own Jupyter setup is
# never touched. kernel.json is then rewritten to start the kernel through scripts/kernel_broker.py,
# which hands Deno one execute_request at a time (see that file for why).
kernel_dir="$JUPYTER_DATA_DIR/kernels/backprop"
kernel_json="$("$PYTHON" - "$PYTHON" "$ROOT/scripts/kernel_broker.py" "$DENO" <<'PY'
import json, sys
python, broker, deno = sys.argv[1:]
print(json.dumps({
    "argv": [python, broker, "--deno", deno, "{connection_file}"],
    "display_name": "Deno (backprop)",
    "language": "typescript",
    "interrupt_mode": "message",
    "env": {"NO_COLOR": "1"},
}, indent=2))
PY
)"
if [ ! -f "$kernel_dir/kernel.json" ] || [ "$(cat "$kernel_dir/kernel.json")" != "$kernel_json" ]; then
  home="$ROOT/.jupyter/home"
  rm -rf "$home" "$kernel_dir"
  mkdir -p "$home"
  HOME="$home" "$DENO" jupyter --install --force --name backprop \
    --display "Deno (backprop)" >/dev/null 2>&1 || {
    say "setup: '$DENO jupyter --install' failed"
    exit 1
  }
  mkdir -p "$JUPYTER_DATA_DIR/kernels"
  mv "$home/.local/share/jupyter/kernels/backprop" "$kernel_dir"
  rm -rf "$home"
  printf '%s\n' "$kernel_json" >"$kernel_dir/kernel.json"
fi

# Marks the given notebooks trusted in the project's Jupyter data folder, so the classic Notebook
# shows their committed outputs (SVG plots, HTML tables and prose) before anything is rerun.
trust_notebooks() {
  "$PYTHON" -m nbformat.sign --log-level=WARN "$@" >/dev/null
}

# Plain text output in notebooks (no ANSI colour codes in committed outputs).
export NO_COLOR=1
