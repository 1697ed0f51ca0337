#!/usr/bin/env bash
# The Action's install step: sagemaker-conformance goes into a virtual environment of its
# own under RUNNER_TEMP (never into the runner's Python: PEP 668 "externally managed"
# system Pythons, self-hosted runners and container jobs), and its bin folder is put on
# PATH for the next steps through GITHUB_PATH. An existing environment is reused.
set -euo pipefail
venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sagemaker-conformance-venv"
python="${SMC_PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" || { echo "::error title=sagemaker-conformance::cannot create a virtual environment with $python (on Debian/Ubuntu: apt-get install python3-venv)"; exit 2; }
fi
# Built from a private copy: setuptools builds in the source folder (build/, *.egg-info),
# so two jobs installing from one action checkout at once would trip over each other.
source=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/smc-source.XXXXXX")
trap 'rm -rf "$source"' EXIT
cp -r "$GITHUB_ACTION_PATH/pyproject.toml" "$GITHUB_ACTION_PATH/README.md" "$GITHUB_ACTION_PATH/conformance" "$source/"
find "$source" -name __pycache__ -prune -exec rm -rf {} +
"$venv/bin/python" -m pip install --disable-pip-version-check -q "$source[capture]"
echo "$venv/bin" >> "${GITHUB_PATH:-/dev/null}"
if ! "$venv/bin/python" -c 'import tarfile; tarfile.data_filter' 2>/dev/null; then
  version=$("$venv/bin/python" -c 'import platform; print(platform.python_version())')
  echo "::warning title=sagemaker-conformance::$python is Python $version, whose tarfile has no extraction filters: a model.tar.gz given as model cannot be unpacked safely (give a folder, or run actions/setup-python with 3.12 first)"
fi
echo "installed $("$venv/bin/sagemaker-conformance" --version 2>/dev/null || echo sagemaker-conformance) into $venv"
