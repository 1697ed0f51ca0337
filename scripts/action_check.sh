#!/usr/bin/env bash
# The Action's check step: every input arrives as its SMC_* variable (never interpolated
# into the script) and the CLI reads them all; the reports go to SMC_REPORT_DIR, the
# Markdown to the job summary, one annotation per check that did not pass, the paths
# and the verdict to GITHUB_OUTPUT, and the step fails on a failing verdict (exit 1) or when the run could not judge (exit 2).
set -uo pipefail
dir="${SMC_REPORT_DIR:-sagemaker-conformance-reports}"
export SMC_REPORT_DIR="$dir"
mkdir -p "$dir"
rm -f "$dir/report.json"   # a report left by an earlier run is never read as this one's
extra=()   # the `args` input: anything else, split as a shell would (never evaluated)
if [ -n "${SMC_ARGS:-}" ]; then
  if ! words=$(python3 -c '
import os, shlex, sys
text = os.environ["SMC_ARGS"]
try:
    print("\n".join(shlex.split(text)))
except ValueError as exc:
    sys.exit(f"args: {exc} in {text!r}")'); then
    echo "::error title=sagemaker-conformance::the args input cannot be split as a shell would"
    exit 2
  fi
  mapfile -t extra <<< "$words"
fi
sagemaker-conformance check "${extra[@]}"
code=$?
python3 "$GITHUB_ACTION_PATH/scripts/action_annotations.py" "$dir/report.json"
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
  echo "report-dir=$dir"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit $code
