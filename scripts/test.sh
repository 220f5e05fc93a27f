#!/usr/bin/env bash
# Command 2: the whole test suite. Formatting, lint, type check, then deno test: the unit tests,
# the doc examples, and every notebook executed headlessly in quick mode (tests/notebooks_test.ts
# writes its executed copies under build/, never over notebooks/). Installs what it needs when
# missing (scripts/setup.sh). The last line printed is deno test's summary line.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

"$DENO" install --quiet >/dev/null 2>&1 || "$DENO" install
echo "== deno fmt --check"
"$DENO" fmt --check
echo "== deno lint"
"$DENO" lint
echo "== deno check"
"$DENO" check
echo "== deno test"
exec "$DENO" test --allow-all --doc lib/ tests/
