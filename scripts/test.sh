#!/usr/bin/env bash
# Run the test suite against the real Docker engine (sets everything up first).
# Fails when any test was skipped: green means the containers were really driven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-check
export SMC_BASE_IMAGE=$(bash scripts/base_image.sh)
mkdir -p reports
status=0
# Most tests wait on containers, not on the CPU: they run in parallel (SMC_TEST_WORKERS,
# default 4, each test handed to the next free worker: SMC_TEST_DIST, default worksteal); the tests marked serial (tests/conftest.py) run alone after.
rm -f reports/tests-parallel.xml reports/tests-serial.xml
began=$(date +%s)
.venv/bin/python -m pytest -rfEs -n "${SMC_TEST_WORKERS:-4}" --dist "${SMC_TEST_DIST:-worksteal}" -m "not serial" \
  --junitxml=reports/tests-parallel.xml "$@" || { rc=$?; [ "$rc" = 5 ] || status=$rc; }   # 5: none picked here
middle=$(date +%s)
.venv/bin/python -m pytest -rfEs -m serial --junitxml=reports/tests-serial.xml "$@" || { rc=$?; [ "$rc" = 5 ] || status=$rc; }
echo "test wall time: $((middle - began)) s in parallel, $(($(date +%s) - middle)) s serial"
.venv/bin/python - <<'PY' || status=1
import sys
import xml.etree.ElementTree as ET
tests = skipped = 0
for path in ("reports/tests-parallel.xml", "reports/tests-serial.xml"):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        sys.exit(f"{path}: {exc}")
    suites = [root] if root.tag == "testsuite" else list(root)
    skipped += sum(int(s.get("skipped", 0)) for s in suites)
    tests += sum(int(s.get("tests", 0)) for s in suites)
if tests == 0 or skipped:
    sys.exit(f"tests: {tests}, skipped: {skipped}: every Docker test must run, none may be skipped")
print(f"{tests} tests, none skipped")
PY
exit $status
