#!/usr/bin/env bash
# Run the test suite against the real Docker engine (sets everything up first).
# Fails when any test was skipped: green means the containers were really driven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-check
export SMC_BASE_IMAGE=$(bash scripts/base_image.sh)
mkdir -p reports
status=0
.venv/bin/python -m pytest -rfEs --junitxml=reports/tests.xml "$@" || status=$?
.venv/bin/python - <<'PY' || status=1
import sys
import xml.etree.ElementTree as ET
root = ET.parse("reports/tests.xml").getroot()
suites = [root] if root.tag == "testsuite" else list(root)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
tests = sum(int(s.get("tests", 0)) for s in suites)
if tests == 0 or skipped:
    sys.exit(f"tests: {tests}, skipped: {skipped}: every Docker test must run, none may be skipped")
PY
exit $status
