"""Run a training job as SageMaker runs one: per host a fresh /opt/ml tree (config JSON
files, channels, model/, output/), `docker run IMAGE train`, hosts algo-1..algo-N on one
labelled network resolving each other by name, bounded by --max-runtime and stopped as
the platform stops a job (SIGTERM, SIGKILL after the grace period).
Source: shared/contract.md sections 10, 11 and 13 (TRAIN-RUN, TRAIN-INFO, TRAIN-OUT)."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import docker
from docker.errors import APIError, NotFound

from ...config import RunConfig
from ...engine import launcher
from .capture import Capture, bridge_interface, summarize
from .job_network import HostsDrill, JobNetwork, create_job_network
from .tree import build_tree, host_names
from ...engine.lifecycle import KILL_WAIT_S
from ...engine.scratch import temp_dir
from ...engine.session import RunSession
from ...engine.sockets import sigterm_disposition
from ...engine.wait import wait_for

# The platform mounts these; everything else under /opt/ml (e.g. /opt/ml/code baked into
# the image) stays as the image has it.
MOUNTED = ("input", "model", "output")
POLL_S = 0.05
LOG_LIMIT_LINES = 20000
LOG_LIMIT_BYTES = 4 * 1024 * 1024


@dataclass
class HostRun:
    host: str
    root: Path                      # host side of this host's /opt/ml
    exit_code: Optional[int] = None
    elapsed_s: float = 0.0
    logs: str = ""
    stopped_by: str = ""            # "" | "sigterm" | "max-runtime" | "job-failed"
    killed_after_grace: bool = False   # still running at the end of the grace: SIGKILLed
    sigterm_disposition: str = ""      # PID 1's SIGTERM handling when it was sent (sockets.py)
    exit_after_sigterm_s: Optional[float] = None
    changed_paths: list = field(default_factory=list)   # `docker diff`: written outside the mounts
    address: str = ""
    feeders: list = field(default_factory=list)         # PipeFeeder per channel (Pipe mode)
    start_error: str = ""                               # Docker could not start the process

    def pipe_epochs(self, channel: str) -> list:
        return next((f.epochs for f in self.feeders if f.channel == channel), [])

    def read(self, relative: str, limit: int = 1024 * 1024) -> Optional[str]:
        """A file the job wrote under its /opt/ml, never through a link out of it (a
        failure file pointing at /etc/shadow is not read), at most `limit` bytes."""
        path = inside(self.root, self.root / relative)
        if path is None or not path.is_file():
            return None
        with open(path, "rb") as handle:
            return handle.read(limit).decode(errors="replace")


@dataclass
class JobRun:
    name: str
    hosts: list
    elapsed_s: float
    hyperparameters: dict
    traffic: list = field(default_factory=list)    # capture.summarize rows (distributed jobs)
    capture_error: str = ""
    checkpoint_clashes: list = field(default_factory=list)   # checkpoints.Clash: hosts overwriting each other

    @property
    def longest_host_s(self) -> float:
        return max(h.elapsed_s for h in self.hosts)

    @property
    def succeeded(self) -> bool:
        return all(h.exit_code == 0 for h in self.hosts)

    def model_files(self) -> list:
        return sorted(str(p.relative_to(h.root / "model")) for h in self.hosts
                      for p in (h.root / "model").rglob("*") if p.is_file())


def inside(root: Path, path: Path) -> Optional[Path]:
    """`path` with every link resolved, if it stays under `root`; else None."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_relative_to(root.resolve()) else None


def run_job(client: docker.DockerClient, session: RunSession, config: RunConfig, name: str,
            hyperparameters: dict, channels: dict, stop_after_s: Optional[float] = None,
            progress: Callable[[str], None] = lambda _: None,
            checkpoints: Optional[Path] = None, network: Optional[JobNetwork] = None,
            drill: Optional[HostsDrill] = None) -> JobRun:
    """`checkpoints`: a folder kept across jobs (per host below it) mounted at
    /opt/ml/checkpoints, as CheckpointConfig.LocalPath is refilled on a spot restart.
    `network`: the run's one training network (made here when not given). The job's
    containers are removed when it ends, so the next job can take the same addresses.
    `drill`: the hosts drill (job_network.HostsDrill: other hostnames, names that resolve late)."""
    hosts = host_names(config.mode_settings.instance_count)
    workdir = temp_dir(session, name)
    network = network or create_job_network(client, session, hosts, config.network_isolation)
    limits = launcher.resolve_limits(config)
    runs, containers = [], []
    for shard, host in enumerate(hosts):
        run = HostRun(host, workdir / host)
        run.feeders = build_tree(run.root, host, hosts, config, hyperparameters, channels, shard)
        volumes = {str(run.root / d): {"bind": f"/opt/ml/{d}", "mode": "rw"} for d in MOUNTED}
        if config.mode_settings.input_mode == "FastFile":   # each channel read-only (training.channel.fastfile)
            for channel in channels:
                volumes[str(run.root / "input" / "data" / channel)] = {
                    "bind": f"/opt/ml/input/data/{channel}", "mode": "ro"}
        if checkpoints is not None:
            (checkpoints / host).mkdir(parents=True, exist_ok=True)
            os.chmod(checkpoints / host, 0o777)
            volumes[str(checkpoints / host)] = {"bind": "/opt/ml/checkpoints", "mode": "rw"}
        container = client.containers.create(
            config.image, command=config.mode_settings.command,
            hostname=drill.hostname(network.addresses[host]) if drill else host,
            entrypoint=list(config.mode_settings.container_entrypoint) or None, name=f"smc-{session.run_id}-{name}-{host}",
            environment={"TRAINING_JOB_NAME": f"smc-{session.run_id}-{name}",
                         "TRAINING_JOB_ARN": f"arn:aws:sagemaker:us-east-1:000000000000:training-job/smc-{session.run_id}-{name}",
                         **config.env},
            labels=session.labels, network=network.name, detach=True,
            networking_config=network.endpoint_config(client, host, named=drill is None),
            extra_hosts={} if drill else dict(network.addresses), volumes=volumes,
            mem_limit=limits.memory_bytes, nano_cpus=int(limits.cpus * 1e9))
        session.on_close(container.remove, v=True, force=True)
        runs.append(run)
        containers.append(container)
    capture = _start_capture(network.network) if len(hosts) > 1 else None
    progress(f"training job `{name}` on {len(hosts)} host(s)")
    began = time.monotonic()
    feeders = [f for run in runs for f in run.feeders]
    for feeder in feeders:
        feeder.start()
    for run, container in zip(runs, containers):
        try:
            container.start()
        except APIError as exc:   # e.g. exec: "train": executable file not found in $PATH
            run.exit_code, run.start_error = 127, str(exc.explanation or exc)
    for run, container in zip(runs, containers):
        container.reload()
        run.address = (container.attrs["NetworkSettings"]["Networks"].get(network.name) or {}).get("IPAddress", "")
    naming = network.name_later(dict(zip(hosts, containers)), drill.dns_lag_s) if drill else None
    try:
        _wait(runs, containers, began, config, stop_after_s)
    finally:
        if naming is not None:
            naming.cancel()
        if capture is not None:
            capture.stop()
        for feeder in feeders:
            feeder.stop()
    for run, container in zip(runs, containers):
        run.logs = run.start_error or _bounded_logs(container)
        run.changed_paths = _written_outside_mounts(container)
        _quiet(container.remove, v=True, force=True)
    job = JobRun(name, runs, time.monotonic() - began, hyperparameters)
    if capture is not None:
        job.traffic = summarize(capture.between_hosts(), {r.address: r.host for r in runs})
        job.capture_error = capture.error
    return job


def _bounded_logs(container, max_bytes: int = LOG_LIMIT_BYTES) -> str:
    """The job's log, at most its last LOG_LIMIT_BYTES (a chatty job cannot fill memory)."""
    try:
        data = container.logs(tail=LOG_LIMIT_LINES)
    except APIError:
        return ""
    return data[-max_bytes:].decode(errors="replace")


def _start_capture(network) -> Capture:
    network.reload()
    ipam = (network.attrs.get("IPAM", {}).get("Config") or [{}])[0]
    capture = Capture(bridge_interface(network.id), ipam.get("Subnet", ""), ipam.get("Gateway", ""))
    capture.start()
    time.sleep(0.2)   # the sniffer's socket is open before the first host starts
    return capture


def _wait(runs: list, containers: list, began: float, config: RunConfig,
          stop_after_s: Optional[float]) -> None:
    """Until every host exits. SIGTERM at stop_after_s (the stop drill), at --max-runtime,
    or as soon as one host fails (the job has failed: the platform stops the others);
    SIGKILL at the end of the grace, as the platform does. Bounded: SIGTERM comes by the
    deadline, SIGKILL a grace later, and an exit the engine never reports is given up
    KILL_WAIT_S after that (the code stays unknown, None)."""
    watch = _JobWatch(runs, containers, began, config, stop_after_s)
    bound = watch.deadline + config.stop_grace_s + KILL_WAIT_S + POLL_S
    wait_for(watch.step, bound, watch.pause, started=began, what="exit of every host")


class _JobWatch:
    """One look at the job's hosts per step of wait_for: exits seen, signals sent."""

    def __init__(self, runs: list, containers: list, began: float, config: RunConfig,
                 stop_after_s: Optional[float]) -> None:
        self.runs, self.containers, self.began, self.grace_s = runs, containers, began, config.stop_grace_s
        self.deadline = stop_after_s if stop_after_s is not None else config.mode_settings.max_runtime_s
        self.reason = "sigterm" if stop_after_s is not None else "max-runtime"
        self.signalled: Optional[float] = None
        self.killed = False

    def step(self) -> Optional[bool]:
        now = time.monotonic() - self.began
        self._see_exits(now)
        running = [(r, c) for r, c in zip(self.runs, self.containers) if r.exit_code is None]
        if not running:
            return True
        failed = any(r.exit_code not in (None, 0) for r in self.runs)
        if self.signalled is None and (now >= self.deadline or failed):
            self.signalled = now
            for run, container in running:
                run.stopped_by = self.reason if now >= self.deadline else "job-failed"
                run.sigterm_disposition = sigterm_disposition(container)
                _quiet(container.kill, signal="SIGTERM")
        if self.signalled is not None and not self.killed and now - self.signalled >= self.grace_s:
            self.killed = True
            for run, container in running:
                run.killed_after_grace = True
                _quiet(container.kill, signal="SIGKILL")
        if self.killed and now - self.signalled >= self.grace_s + KILL_WAIT_S:
            return True   # the engine never reported the exit: leave the code unknown (None)
        return None

    def _see_exits(self, now: float) -> None:
        for run, container in zip(self.runs, self.containers):
            if run.exit_code is None:
                state = _state(container)
                if state.get("Status") in ("exited", "dead"):
                    run.exit_code, run.elapsed_s = state.get("ExitCode"), now
                    if self.signalled is not None:
                        run.exit_after_sigterm_s = now - self.signalled

    def pause(self) -> float:
        """Poll every POLL_S, or sooner when the next signal is due."""
        if self.killed:   # only the exit is awaited now
            return POLL_S
        now = time.monotonic() - self.began
        due = (self.deadline - now) if self.signalled is None else (self.signalled + self.grace_s - now)
        return max(0.0, min(POLL_S, due))


def _state(container) -> dict:
    try:
        container.reload()
    except NotFound:
        return {"Status": "dead", "ExitCode": None}
    return container.attrs.get("State", {})


def _quiet(fn: Callable, **kwargs) -> None:
    try:
        fn(**kwargs)
    except APIError:
        pass


def _written_outside_mounts(container) -> list:
    try:
        changes = container.diff() or []
    except APIError:
        return []
    ignored = ("/tmp/.", "/root/.cache", "/proc", "/dev", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf")
    return [c["Path"] for c in changes if c.get("Kind") in (0, 1) and not c["Path"].startswith(ignored)
            and not c["Path"].startswith("/opt/ml/") and "__pycache__" not in c["Path"]]
