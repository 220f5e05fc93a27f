#!/usr/bin/env bash
# Installs the peers of bench/mnist_epoch_bench.ts when missing: Debian's python3-numpy and
# python3-torch (as root with apt-get); otherwise says what to install and exits 1.
set -euo pipefail
python=/usr/bin/python3
missing=()
"$python" -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
"$python" -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench: installing ${missing[*]} with apt-get (once)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  }
  exit 0
fi
echo "bench: missing ${missing[*]} for $python" >&2
echo "  Debian, as root: apt-get install ${missing[*]}" >&2
exit 1
