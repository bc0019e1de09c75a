#!/usr/bin/env bash
# One command: install, ingest the sample directives in corpora/ into the embedded archive
# (SQLite in ./chithi-data), then serve the API and the web page on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/chithi ingest corpora/
.venv/bin/chithi tasks "Sở Nội vụ" --format table | head -n 40 || true
if [ "${CHITHI_NO_SERVE:-}" = "1" ]; then exit 0; fi
echo "serving on http://127.0.0.1:8000 (docs: /docs) — Ctrl+C to stop"
exec .venv/bin/chithi serve
