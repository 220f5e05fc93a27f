#!/usr/bin/env bash
# Runs cli/<command>.ts (train, sweep, merge) with the permissions it needs and no more: FFI only
# for the two native libraries it may load, polars' addon (in Deno's npm cache) and OpenBLAS (the
# file the dynamic loader's cache names, passed on in BACKPROP_OPENBLAS). `exec` leaves Deno in
# this process's place, so stopping `deno task` stops the command.
#
# Usage: bash scripts/cli.sh <command> [options]

set -euo pipefail

command="$1"
shift
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO="${DENO:-$(command -v deno || echo "$ROOT/tools/deno/node_modules/.bin/deno")}"

ffi=()
npm_cache="$("$DENO" info --json 2>/dev/null | sed -n 's/^ *"npmCache": *"\([^"]*\)".*/\1/p')"
for dir in "$npm_cache"/registry.npmjs.org/nodejs-polars-*; do
  [ -d "$dir" ] && ffi+=("$dir")
done
openblas="$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true) |
  sed -n 's/^[[:space:]]*libopenblas\.so\.0 .*=> \(.*\)$/\1/p' | head -n 1)"
if [ -n "$openblas" ]; then
  ffi+=("$openblas")
  export BACKPROP_OPENBLAS="$openblas"
fi
allow_ffi=()
if [ "${#ffi[@]}" -gt 0 ]; then
  allow_ffi=("--allow-ffi=$(IFS=,; echo "${ffi[*]}")")
fi

exec "$DENO" run --allow-read --allow-write "${allow_ffi[@]}" --allow-sys \
  --allow-env=BACKPROP_BACKEND,BACKPROP_OPENBLAS,BACKPROP_CACHE,BACKPROP_AUDIT,OPENBLAS_CORETYPE,INIT_CWD "$ROOT/cli/$command.ts" "$@"
