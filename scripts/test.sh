#!/usr/bin/env bash
# Command 2: the whole test suite. Formatting, lint, type check, then deno test: the unit tests,
# the doc examples, every notebook executed headlessly in quick mode (tests/notebooks_test.ts
# writes its executed copies under build/, never over notebooks/), and every notebook run three
# times with Restart & Run All in the classic Notebook in Chromium (tests/browser/, which never
# saves a notebook). Installs what it needs when missing (scripts/setup.sh, and Chromium below).
# The last line printed is deno test's summary line.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# The browser test (tests/browser/) drives Debian's Chromium through playwright-core (npm, in the
# import map, fetched by the deno install below); it never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium ||
    say "test: /usr/bin/chromium is missing and could not be installed (as root: apt-get install chromium); the browser test in tests/browser/ will fail"
fi

"$DENO" install --quiet >/dev/null 2>&1 || "$DENO" install
echo "== deno fmt --check"
"$DENO" fmt --check
echo "== deno lint"
"$DENO" lint
echo "== deno check"
"$DENO" check
echo "== deno test"
exec "$DENO" test --allow-all --doc lib/ tests/
