#!/usr/bin/env bash
# Command 2: the whole test suite. Formatting, lint, type check, then deno test: the unit tests,
# the doc examples, every notebook executed headlessly in quick mode (tests/notebooks_test.ts
# writes its executed copies under build/, never over notebooks/), and every notebook run three
# times with Restart & Run All in the classic Notebook in Chromium (tests/browser/, which never
# saves a notebook); before them, the library's unit tests once more with the wasm backend as the
# default. Installs what it needs when missing (scripts/setup.sh, and Chromium below).
# The last line printed is deno test's summary line.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# The browser test (tests/browser/) drives Debian's Chromium through playwright-core (npm, in the
# import map, fetched by the deno install in setup.sh); it never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium ||
    say "test: /usr/bin/chromium is missing and could not be installed (as root: apt-get install chromium); the browser test in tests/browser/ will fail"
fi

# The tests keep their runs in a run store of their own, fresh each time: the first notebook run
# trains, later ones (the browser's Restart & Run All) reuse, and the project's .cache/ is untouched.
export BACKPROP_CACHE="$ROOT/build/test-runs"
rm -rf "$BACKPROP_CACHE"

echo "== deno fmt --check"
"$DENO" fmt --check
echo "== deno lint"
"$DENO" lint
echo "== deno check"
"$DENO" check
echo "== deno task size (lines of lib/ against scripts/line_budget.json)"
"$DENO" task --quiet size
echo "== deno test, the library's unit tests with the wasm backend as the default (BACKPROP_BACKEND=wasm)"
BACKPROP_BACKEND=wasm "$DENO" test --allow-all --doc lib/ tests/nn/ tests/experiment/ tests/cli/ tests/tensor/ ||
  { say "test: the unit tests failed with BACKPROP_BACKEND=wasm (above)"; exit 1; }
echo "== deno test"
exec "$DENO" test --allow-all --doc lib/ tests/
