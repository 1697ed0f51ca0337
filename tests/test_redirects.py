"""No probe, load user or streaming call follows a redirect (issue #24): a server that
answers 307 to /invocations is a finding, and the place it points to receives nothing.
The place is a listener of this test on 127.0.0.1 that counts its connections."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading

import pytest

from conftest import MODEL, PAYLOAD, ROOT

pytestmark = pytest.mark.docker


@pytest.fixture()
def elsewhere():
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(65536))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/invocations", seen
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_a_redirect_is_a_finding_and_is_never_followed(sample_images, tmp_path, elsewhere):
    url, seen = elsewhere
    done = subprocess.run([sys.executable, "-m", "conformance", "check", sample_images["good-minimal"],
                           "--model", str(MODEL), "--payload", str(PAYLOAD), "--content-type", "text/csv",
                           "--env", f"MS_REDIRECT_TO={url}", "--stream", "--load", "--users", "2",
                           "--duration", "2s", "--checks", "inference.invocations,streaming,load.errors",
                           "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    checks = {c["id"]: c for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert done.returncode == 1, done.stdout[-2000:]
    assert checks["inference.invocations"]["status"] == "fail" and checks["inference.invocations"]["measured"] == 307
    assert checks["streaming.response.chunked"]["status"] == "fail" and "307" in checks["streaming.response.chunked"]["message"]
    assert checks["load.errors"]["status"] == "fail"
    assert not seen, f"a redirect was followed: {seen[:1]}"
