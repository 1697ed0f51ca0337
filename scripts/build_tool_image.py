#!/usr/bin/env python3
"""Build this project as an image (tag smc-tool:latest by default) from the files git
tracks, on --base-image; with --host-ca the host's CA bundle joins the build context so
pip reaches PyPI behind a TLS-inspecting proxy (the setup path only, never users' images)."""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
from pathlib import Path

import docker
from docker.errors import BuildError

ROOT = Path(__file__).resolve().parents[1]
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")


def context(host_ca: bool) -> bytes:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\n")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in sorted(f for f in files if f and (ROOT / f).is_file()):
            if name.startswith(("reports/", "docs/", "sample_containers/", "fixtures/")):
                continue
            tar.add(ROOT / name, arcname=name, recursive=False)
        if host_ca and HOST_CA.is_file():
            tar.add(HOST_CA, arcname="host-ca.crt")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-image", default="python:3.12-slim")
    parser.add_argument("--tag", default="smc-tool:latest")
    parser.add_argument("--host-ca", action="store_true")
    args = parser.parse_args()
    client = docker.from_env(timeout=900)
    try:
        client.images.build(fileobj=io.BytesIO(context(args.host_ca)), custom_context=True,
                            tag=args.tag, rm=True, forcerm=True, buildargs={"BASE_IMAGE": args.base_image})
    except BuildError as exc:
        log = "".join(part.get("stream", "") for part in exc.build_log)
        sys.exit(f"building {args.tag} failed: {exc.msg}\n{log[-3000:]}")
    print(f"built {args.tag}")


if __name__ == "__main__":
    main()
