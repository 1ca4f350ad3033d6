#!/usr/bin/env bash
# The whole test suite: static checks, unit + integration tests (vitest, against a real emulator
# and a real keychain), then the e2e tests (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

bash scripts/install-system-deps.sh
[ -d node_modules ] || npm ci

echo "== lint"; npx eslint . && npx prettier --check .
echo "== typecheck"; node scripts/typecheck.mjs
echo "== security scan"; node scripts/security-scan.mjs
echo "== unit and integration tests"; bash scripts/with-keyring.sh npx vitest run
if [ -d e2e ] && ls e2e/*.spec.ts >/dev/null 2>&1; then
  echo "== build"; node scripts/build.mjs
  echo "== e2e tests"; bash scripts/with-keyring.sh npx playwright test
fi
