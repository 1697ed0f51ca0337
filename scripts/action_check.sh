#!/usr/bin/env bash
# The Action's check step: inputs arrive as INPUT_* variables (never interpolated into
# the script), the CLI writes every report, the Markdown goes to the job summary, the
# paths and the verdict go to GITHUB_OUTPUT, and the step fails on a failing verdict.
set -uo pipefail
dir="${INPUT_REPORT_DIR:-sagemaker-conformance-reports}"
mkdir -p "$dir"
args=(check "$INPUT_IMAGE" --mode "${INPUT_MODE:-serve}" --instance-type "${INPUT_INSTANCE_TYPE:-ml.m5.large}"
      --content-type "${INPUT_CONTENT_TYPE:-application/octet-stream}"
      --json "$dir/report.json" --junit "$dir/report.xml" --html "$dir/report.html"
      --markdown "$dir/summary.md")
[ -n "${INPUT_PAYLOAD:-}" ] && args+=(--payload "$INPUT_PAYLOAD")
[ -n "${INPUT_MODEL:-}" ] && args+=(--model "$INPUT_MODEL")
[ -n "${INPUT_ACCEPT:-}" ] && args+=(--accept "$INPUT_ACCEPT")
[ -n "${INPUT_STARTUP_WINDOW:-}" ] && args+=(--startup-window "$INPUT_STARTUP_WINDOW")
[ -n "${INPUT_STARTUP_TIMEOUT:-}" ] && args+=(--startup-timeout "$INPUT_STARTUP_TIMEOUT")
[ -n "${INPUT_STOP_TIMEOUT:-}" ] && args+=(--stop-timeout "$INPUT_STOP_TIMEOUT")
[ -n "${INPUT_CHECKS:-}" ] && args+=(--checks "$INPUT_CHECKS")
[ -n "${INPUT_SKIP:-}" ] && args+=(--skip "$INPUT_SKIP")
while IFS= read -r line; do
  [ -n "$line" ] && args+=(--env "$line")
done <<< "${INPUT_ENV:-}"
[ "${INPUT_STRICT:-false}" = "true" ] && args+=(--strict)
if [ "${INPUT_LOAD:-false}" = "true" ]; then
  args+=(--load --users "${INPUT_USERS:-10}" --duration "${INPUT_DURATION:-30s}")
  [ -n "${INPUT_P99_MS:-}" ] && args+=(--p99-ms "$INPUT_P99_MS")
fi
sagemaker-conformance "${args[@]}"
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
