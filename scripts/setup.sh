#!/usr/bin/env bash
# Install what sphinx-article needs on a fresh Debian/Ubuntu machine, then a virtual
# environment in .venv with the package (editable).  Only missing parts are installed.
#   scripts/setup.sh            -> TeX Live + poppler, .venv with sphinx-article
#   scripts/setup.sh --test     -> also Chromium, npm's axe-core and the test extras
set -euo pipefail
cd "$(dirname "$0")/.."
TEST=0
[ "${1:-}" = "--test" ] && TEST=1

need=()
command -v latexmk >/dev/null || need+=(latexmk)
kpsewhich tgpagella.sty >/dev/null 2>&1 || need+=(texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v make >/dev/null || need+=(make)
if [ "$TEST" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v npm >/dev/null || need+=(npm)
fi
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "Installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ "$TEST" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  if [ ! -f build/npm/node_modules/axe-core/axe.min.js ]; then
    mkdir -p build/npm
    npm install --silent --no-audit --no-fund --prefix build/npm axe-core@4 >/dev/null
  fi
else
  .venv/bin/python -m pip install -q -e ".[example]"  # the example site runs a notebook
fi
