#!/usr/bin/env bash
# The version matrix's second column.  The main .venv (scripts/setup.sh) holds the newest
# releases inside pyproject.toml's pins; this script installs the oldest supported ones
# (.ci/oldest.txt, as pip constraints) into .venv-oldest and runs the suite's build,
# parsing and CLI tests there (browser, PDF, fuzz and corpus tests depend on the renderer,
# TeX and Chromium, not on these versions, and run in the main environment).
#   scripts/matrix.sh            -> create or update .venv-oldest, run the tests
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv-oldest/bin/python ] || "$PYTHON" -m venv .venv-oldest
.venv-oldest/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv-oldest/bin/python -m pip install -q -c .ci/oldest.txt -e ".[test]"
echo "oldest supported releases:"
.venv-oldest/bin/python -m pip list 2>/dev/null | grep -i -E '^(sphinx|docutils|myst-parser|sphinxcontrib-bibtex|pybtex) '
# the docs are built with the newest releases only: myst-parser 5.0 does not resolve a
# few heading-anchor links the docs use, which 5.1+ does
.venv-oldest/bin/python -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider \
  -m "not browser and not pdf and not fuzz and not corpus" \
  --deselect tests/test_docs.py::test_docs_build_without_warnings tests
