"""The container is reached wherever CI runs (issue 8): the tool in a container with the
engine's socket mounted (Docker outside of Docker), and a remote engine over TCP."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from conftest import MODEL, PAYLOAD, ROOT

SOCKET = "/var/run/docker.sock"


@pytest.fixture(scope="session")
def tool_image(docker_client, base_image) -> str:
    """This project as an image (scripts/build_tool_image.py; layers cached)."""
    args = [sys.executable, str(ROOT / "scripts" / "build_tool_image.py"), "--base-image", base_image]
    if Path("/etc/ssl/certs/ca-certificates.crt").is_file():
        args.append("--host-ca")
    subprocess.run(args, check=True, capture_output=True, timeout=900)
    return "smc-tool:latest"


def test_docker_outside_of_docker_checks_a_good_image(docker_client, tool_image, sample_images, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    with tarfile.open(MODEL) as tar:
        tar.extractall(model, filter="data")
    out = tmp_path / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    logs = docker_client.containers.run(
        tool_image, ["check", sample_images["good-minimal"], "--model", "/job/model", "--payload",
                     "/job/iris.csv", "--content-type", "text/csv", "--stop-timeout", "5",
                     "--skip", "inference.accept.burst",   # harsher than the platform; bends under CPU load
                     "--json", "/out/r.json"],
        volumes={SOCKET: {"bind": SOCKET, "mode": "rw"}, str(model): {"bind": "/job/model", "mode": "ro"},
                 str(PAYLOAD): {"bind": "/job/iris.csv", "mode": "ro"}, str(out): {"bind": "/out", "mode": "rw"}},
        remove=True, stdout=True, stderr=True).decode(errors="replace")
    report = json.loads((out / "r.json").read_text())
    assert report["verdict"] == "pass", logs
    assert report["environment"]["connection"] == "joined"
    assert report["must_not_run"] == []


class TcpToUnix(threading.Thread):
    """A stand-in for a remote engine: TCP on 127.0.0.1, forwarded to the local socket."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]

    def run(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            engine = socket.socket(socket.AF_UNIX)
            engine.connect(SOCKET)
            for a, b in ((client, engine), (engine, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def test_remote_engine_publishes_on_the_engine_host_and_never_passes_accept(sample_images, tmp_path):
    proxy = TcpToUnix()
    proxy.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "conformance", "check", sample_images["good-minimal"], "--model",
             str(MODEL), "--payload", str(PAYLOAD), "--content-type", "text/csv", "--stop-timeout", "5",
             "--json", str(tmp_path / "r.json")],
            capture_output=True, text=True, timeout=240, cwd=ROOT,
            env={**os.environ, "DOCKER_HOST": f"tcp://127.0.0.1:{proxy.port}"})
    finally:
        proxy.server.close()
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["environment"]["connection"] == "published"
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["inference.accept"] == "skip" and statuses["inference.invocations"] == "pass"
    assert "inference.accept" in {entry["id"] for entry in report["must_not_run"]}
    assert "accept timings cannot be measured" in result.stdout
