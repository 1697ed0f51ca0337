"""Docker must answer: a missing engine is a test error, never a skip. Sample images are
built once per session; at the end nothing labelled by the tool may be left."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import docker
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "fixtures" / "payloads" / "iris.csv"
MODEL = ROOT / "fixtures" / "model" / "model.tar.gz"
sys.path.insert(0, str(ROOT / "sample_containers"))

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def docker_client() -> docker.DockerClient:
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:
        pytest.fail(f"Docker must answer for these tests (run scripts/test.sh): {exc}")
    return client


@pytest.fixture(scope="session")
def base_image(docker_client) -> str:
    return os.environ.get("SMC_BASE_IMAGE") or subprocess.run(
        ["bash", str(ROOT / "scripts" / "base_image.sh")], check=True, capture_output=True,
        text=True).stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def sample_images(docker_client, base_image) -> dict:
    """Build every sample once (layer cache makes a rebuild take seconds)."""
    import build
    base = base_image
    tags = build.samples()
    missing = [t for t in tags if not docker_client.images.list(name=t.split(":")[0])]
    if missing:
        build.build(missing, base, host_ca=Path(build.HOST_CA).is_file())
    return {t.split("/")[1].split(":")[0]: t for t in tags}


@pytest.fixture(scope="session")
def runner_env(tmp_path_factory) -> dict:
    """A GitHub runner's environment for action.yml: the Python of actions/setup-python, and
    a RUNNER_TEMP where the Action makes its own virtual environment (once per session and worker)."""
    from action_runner import make_runner_env
    return make_runner_env(tmp_path_factory.mktemp("runner"))


@pytest.fixture(scope="session")
def system_runner_env(tmp_path_factory) -> dict:
    """A self-hosted Debian runner: python3 is the system's, externally managed (PEP 668)."""
    from action_runner import SYSTEM_PYTHON, make_runner_env
    return make_runner_env(tmp_path_factory.mktemp("system-runner"), SYSTEM_PYTHON)


@pytest.fixture(scope="session", autouse=True)
def nothing_left_behind(request):
    """At the end, nothing of this suite's runs is left: neither of this process's own runs
    nor of the CLI runs it started (their owners are dead by now). Runs of anyone else on
    the same engine (a shared CI runner) are not ours to judge."""
    yield
    from conformance.engine.session import LABEL, LABEL_HOST, LABEL_PID, owner_is_dead
    try:
        client = docker.from_env()
        objects = (client.containers.list(all=True, sparse=True, filters={"label": LABEL}) +
                   client.networks.list(filters={"label": LABEL}))
    except docker.errors.DockerException:
        return
    ours = []
    for obj in objects:
        labels = obj.attrs.get("Labels") or obj.attrs.get("Config", {}).get("Labels") or {}
        if labels.get(LABEL_HOST) == socket.gethostname() and (
                labels.get(LABEL_PID) == str(os.getpid()) or owner_is_dead(labels)):
            ours.append(obj.name)
    assert not ours, f"left behind: {ours}"


# Files whose tests must not share the machine with others: they judge numbers that the
# other tests' CPU use would bend (the load generator's own CPU, the time to a verdict and
# the gaps between progress lines). scripts/test.sh runs them alone, after the rest ran
# under pytest-xdist. A single test elsewhere says so with @pytest.mark.serial (idle
# accept of good-stdlib, whose listen backlog of 5 overflows when its accept loop is
# starved of CPU: seen as a 1 s SYN retransmit in a parallel run; SIGKILL at a grace to
# the second; a job's wall time). `clean` runs in parallel: it removes only what a dead
# owner on this host left, so a run of the tool in a container (its own hostname) is safe.
SERIAL_FILES = {"test_load.py", "test_starts.py"}


DOCKER_FIXTURES = {"docker_client", "base_image", "sample_images"}


def pytest_collection_modifyitems(config, items):
    """serial: the files above. docker: every test that reaches the engine through a
    fixture (the files that reach it otherwise say so with pytestmark); the fast tier is
    `-m "not docker"`."""
    for item in items:
        if item.path.name in SERIAL_FILES:
            item.add_marker(pytest.mark.serial)
        if DOCKER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.docker)
