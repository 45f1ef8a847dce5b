#!/usr/bin/env bash
# npm run test:cli: the real-CLI suites (tests/real-cli/*.cli.ts). Finds or builds the pinned Pulumi CLI
# (scripts/pulumi-cli.sh); without one the suites skip loudly, unless REQUIRE_PULUMI_CLI=1 (CI), which fails.
set -uo pipefail
cd "$(dirname "$0")/.."
if dir="$(bash scripts/pulumi-cli.sh | tail -1)" && [ -x "$dir/pulumi" ]; then
  export PULUMI_CLI_DIR="$dir"
else
  if [ "${REQUIRE_PULUMI_CLI:-}" = "1" ]; then
    echo "test:cli: REQUIRE_PULUMI_CLI=1 and the Pulumi CLI could not be found or built" >&2
    exit 1
  fi
  echo "test:cli: SKIPPING the real-CLI suites: no Pulumi CLI could be found or built (see above)" >&2
fi
exec npx mocha --timeout 600000 "tests/real-cli/**/*.cli.ts" "$@"
