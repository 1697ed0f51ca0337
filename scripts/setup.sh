#!/usr/bin/env bash
# Set everything up on a fresh Debian machine and check the bundled good image:
# Docker engine (installed and started only when none answers and we are root),
# a local base image, the package in .venv, the sample images, then the check itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_docker.sh
BASE_IMAGE=$(bash scripts/base_image.sh)
export SMC_BASE_IMAGE="$BASE_IMAGE"
# The tests open the HTML report in headless Chromium, write images as OCI layouts with
# skopeo (image.manifest); the load benchmark compares with wrk.
# Installed only where we may (root with apt: the project's CI machine).
if { ! command -v chromium >/dev/null || ! command -v wrk >/dev/null || ! command -v skopeo >/dev/null; } \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing chromium, wrk and skopeo (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium wrk skopeo >/dev/null
fi
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q -e '.[test]' >/tmp/smc-pip.log 2>&1 || { cat /tmp/smc-pip.log; exit 1; }
echo "==> building sample images on $BASE_IMAGE"
host_ca=()
[ -f /etc/ssl/certs/ca-certificates.crt ] && host_ca=(--host-ca)
.venv/bin/python sample_containers/build.py --base-image "$BASE_IMAGE" "${host_ca[@]}"
if [ "${1:-}" = "--no-check" ]; then exit 0; fi
echo "==> sagemaker-conformance check smc-sample/good-serving"
.venv/bin/sagemaker-conformance check smc-sample/good-serving \
  --model fixtures/model/model.tar.gz \
  --payload fixtures/payloads/iris.csv --content-type text/csv \
  --json reports/good-serving.json --junit reports/good-serving.xml
