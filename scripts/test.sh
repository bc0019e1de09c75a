#!/usr/bin/env bash
# One command: install what is missing, make sure PostgreSQL and Redis are up, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash .ci/install-browser.sh   # Debian's Chromium for the web page's end-to-end tests
bash scripts/services.sh
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ $rc -eq 5 ]; then echo "no tests ran"; exit 1; fi
exit $rc
