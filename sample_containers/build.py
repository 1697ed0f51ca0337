#!/usr/bin/env python3
"""Build the sample images: good/<name> -> smc-sample/good-<name>, broken/<check-id> ->
smc-sample/broken-<check-id>, broken-training/<check-id> -> smc-sample/broken-training-<check-id>,
start/<name> -> smc-sample/start-<name> (starts judged early or waited for, issue #23), real/<name> ->
smc-sample/real-<name> (real serving stacks from PyPI, laid out as their authors' images are). The build context is this folder; with --host-ca the host's
CA bundle is added to the context as host-ca.crt (for pip behind a TLS-inspecting proxy;
only the classic sample's Dockerfile uses it, and it is deleted in the same layer)."""
from __future__ import annotations

import argparse
import io
import sys
import tarfile
import time
from pathlib import Path

import docker
from docker.errors import BuildError

HERE = Path(__file__).resolve().parent
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")


def samples() -> dict:
    found = {}
    for kind in ("good", "broken", "broken-training", "start", "real"):
        for dockerfile in sorted((HERE / kind).glob("*/Dockerfile")):
            found[f"smc-sample/{kind}-{dockerfile.parent.name}:latest"] = dockerfile.relative_to(HERE)
    return found


def context_tar(host_ca: bool) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(HERE.rglob("*")):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            tar.add(path, arcname=str(path.relative_to(HERE)), recursive=False)
        if host_ca and HOST_CA.is_file():
            tar.add(HOST_CA, arcname="host-ca.crt")
    return buffer.getvalue()


def build(tags: list, base_image: str, host_ca: bool) -> None:
    client = docker.from_env(timeout=900)
    context = context_tar(host_ca)
    table = samples()
    for tag in tags:
        began = time.monotonic()
        try:
            client.images.build(fileobj=io.BytesIO(context), custom_context=True,
                                dockerfile=str(table[tag]), tag=tag, rm=True, forcerm=True,
                                buildargs={"BASE_IMAGE": base_image})
        except BuildError as exc:
            log = "".join(part.get("stream", "") for part in exc.build_log)
            sys.exit(f"building {tag} failed: {exc.msg}\n{log[-3000:]}")
        print(f"built {tag} in {time.monotonic() - began:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-image", default="python:3.12-slim")
    parser.add_argument("--host-ca", action="store_true")
    parser.add_argument("--only", nargs="*", help="tags (or names like good-serving) to build")
    args = parser.parse_args()
    table = samples()
    wanted = list(table)
    if args.only:
        wanted = [t for t in table if any(o in (t, t.split("/")[1].split(":")[0]) for o in args.only)]
    build(wanted, args.base_image, args.host_ca)


if __name__ == "__main__":
    main()
