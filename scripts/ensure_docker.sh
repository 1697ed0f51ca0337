#!/usr/bin/env bash
# Make sure a Docker engine answers. On a machine where none runs and we are root on
# Debian (this project's CI machine), install docker.io and start dockerd in the
# background. On a user's machine with Docker already running this does nothing.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Docker is not reachable and this is not a root Debian machine: start Docker yourself." >&2
  exit 2
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "==> installing docker.io (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null
fi
echo "==> starting dockerd in the background (log: /tmp/dockerd.log)"
nohup dockerd >/tmp/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "dockerd did not answer within 60 s; see /tmp/dockerd.log" >&2
exit 2
