#!/usr/bin/env bash
# The Action's check step: every input arrives as its SMC_* variable (never interpolated
# into the script) and the CLI reads them all; the reports go to SMC_REPORT_DIR, the
# Markdown to the job summary, the paths and the verdict to GITHUB_OUTPUT, and the step
# fails on a failing verdict (exit 1) or when the run could not judge (exit 2).
set -uo pipefail
dir="${SMC_REPORT_DIR:-sagemaker-conformance-reports}"
export SMC_REPORT_DIR="$dir"
mkdir -p "$dir"
sagemaker-conformance check
code=$?
verdict=error
if [ -f "$dir/report.json" ]; then
  verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$dir/report.json")
fi
if [ -f "$dir/summary.md" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$dir/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
{
  echo "verdict=$verdict"
  echo "json-report=$dir/report.json"
  echo "junit-report=$dir/report.xml"
  echo "html-report=$dir/report.html"
  echo "markdown-report=$dir/summary.md"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit $code
