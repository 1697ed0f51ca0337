#!/usr/bin/env bash
# Print the name of a local base image for the sample Dockerfiles (their ARG BASE_IMAGE).
# Order: $BASE_IMAGE if set; the cached local image; a pull of python:3.12-slim where a
# registry answers; else build one with debootstrap (about a minute) and cache it by tag.
set -euo pipefail
LOCAL_TAG="sagemaker-conformance/base:bookworm-1"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if [ -n "${BASE_IMAGE:-}" ]; then echo "$BASE_IMAGE"; exit 0; fi
if docker image inspect "$LOCAL_TAG" >/dev/null 2>&1; then echo "$LOCAL_TAG"; exit 0; fi
if timeout 30 docker pull -q python:3.12-slim >/dev/null 2>&1; then echo "python:3.12-slim"; exit 0; fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "==> installing debootstrap (apt)" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi
dir=$(mktemp -d /tmp/smc-rootfs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "==> building $LOCAL_TAG with debootstrap (about a minute)" >&2
debootstrap --variant=minbase --include=python3,python3-pip,ca-certificates,procps \
  bookworm "$dir" "$MIRROR" >/tmp/smc-debootstrap.log 2>&1 \
  || { echo "debootstrap failed; see /tmp/smc-debootstrap.log" >&2; exit 2; }
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
# python:3.12-slim has `python` and lets pip install system-wide; make the stand-in alike.
ln -sf python3 "$dir/usr/bin/python"
tar -C "$dir" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PIP_BREAK_SYSTEM_PACKAGES=1' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' - "$LOCAL_TAG" >/dev/null
echo "$LOCAL_TAG"
