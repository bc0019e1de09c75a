#!/usr/bin/env bash
# The browser for the web page's end-to-end tests (tests/web): Debian's Chromium, driven by
# Playwright's Python package with executable_path=/usr/bin/chromium (no `playwright install`).
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ -x .venv/bin/python ] && ! .venv/bin/python -c "import playwright" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q playwright
fi
echo "browser: $(chromium --version 2>/dev/null || echo missing)"
