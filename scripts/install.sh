#!/usr/bin/env bash
# Install everything chithi needs on a Debian machine (idempotent): Tesseract with Vietnamese,
# poppler, qpdf, a Python virtual environment in .venv with chithi and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx vie; then need_apt+=(tesseract-ocr-vie); fi
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
for pkg in ${CHITHI_EXTRA_APT:-}; do need_apt+=("$pkg"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing apt packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for c in python3.11 python3.12 python3.13 python3; do
    if command -v "$c" >/dev/null 2>&1; then PY=$c; break; fi
  done
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { $SUDO apt-get install -y -qq python3-venv >/dev/null && "$PY" -m venv .venv; }
fi
stamp=.venv/.chithi-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
echo "chithi installed in .venv ($(.venv/bin/python --version))"
