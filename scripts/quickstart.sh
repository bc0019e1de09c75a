#!/usr/bin/env bash
# One command: install, ingest the sample directives in corpora/ into the embedded archive
# (SQLite in ./chithi-data), then serve the API and the web page on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/chithi ingest corpora/
.venv/bin/chithi tasks "Sở Nội vụ" --format table | head -n 40 || true
if [ "${CHITHI_NO_SERVE:-}" = "1" ]; then exit 0; fi
key=$(.venv/bin/chithi keys create admin)
echo
echo "API and web page: http://127.0.0.1:8000  (OpenAPI docs: /docs) — Ctrl+C to stop"
echo "admin key (shown once; send it as X-API-Key, or paste it in the web page's login): $key"
exec .venv/bin/chithi serve
