#!/bin/sh
# Runs the browser end-to-end test. Builds nothing: build the server first with
# `cargo build -p baton` (or point BATON_BIN at a binary). Needs Node >= 20 and the Debian
# `chromium` package (apt-get install -y chromium); never a test tool's own browser download.
set -eu
cd "$(dirname "$0")"
if [ ! -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
  echo "e2e: Chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
# The list of test files lives in package.json (`npm test`).
exec npm test
