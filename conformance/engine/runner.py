"""The engine: `run(config)` starts the image as SageMaker would, runs the selected checks
phase by phase and yields events; everything it creates is removed in `finally`."""
from __future__ import annotations

import datetime as dt
import queue
import time
from typing import Iterator

import docker

from .. import __version__
from ..checks import select
from ..checks.context import CheckContext
from ..config import RunConfig
from ..errors import ConformanceError, EngineError, ProbeError, docker_errors
from ..events import CheckFinished, Event, Progress, RunFinished, RunStarted
from ..model import (CheckResult, CheckSpec, Outcome, Phase, RunReport, Status,
                     effective_status, skipped, undecided)
from . import launcher
from .docker_env import connect, get_image
from .drivers import driver_for
from .session import RunSession, new_run_id, sweep_stale


def run(config: RunConfig) -> Iterator[Event]:
    """Yields RunStarted, progress and results, and always a RunFinished: a run that could
    not judge the image at all (bad input, Docker refusing) carries `report.error`."""
    started = time.monotonic()
    report = RunReport("sagemaker-conformance", __version__, new_run_id(), config.image,
                       config.mode, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                       strict=config.strict)
    try:
        yield from _run(config, report)
    except ConformanceError as exc:
        report.error = str(exc)
    except docker.errors.DockerException as exc:
        report.error = str(EngineError.from_docker(exc))
    report.duration_s = round(time.monotonic() - started, 3)
    yield RunFinished(report)


def _run(config: RunConfig, report: RunReport) -> Iterator[Event]:
    config = config.validate()
    specs = select(config.check_mode, config.only, config.skip, config.options)
    client = None if config.target else connect()   # a --target needs no Docker at all
    image_attrs = {} if client is None else get_image(client, config.image).attrs
    images = {} if client is None else {name: get_image(client, name).attrs   # every image, up front
                                        for name in config.pipeline_images or (config.image,)}
    payload = config.payload.read_bytes() if config.payload else None
    session = RunSession(client, report.run_id)
    yield RunStarted(session.run_id, config.image, config.mode, tuple(s.id for s in specs))
    messages: "queue.SimpleQueue[str]" = queue.SimpleQueue()
    try:
        if client is not None:
            sweep_stale(client)
        limits = launcher.resolve_limits(config)
        measured = frozenset(s.id for s in specs if s.remote or not config.target)
        ctx = CheckContext(config, image_attrs, limits, selected=measured, images=images)
        report.environment = _environment(client, config, limits, image_attrs)
        driver = driver_for(config)(client, config, session, ctx, messages.put, payload)
        needs_container = any(s.phase > Phase.STATIC for s in specs)
        if needs_container:
            yield Progress("creating the network and the container")
            with docker_errors("create the network and the container"):
                driver.prepare(report.environment)
        for phase in Phase:
            if phase is Phase.STARTUP and needs_container:
                yield Progress(driver.starting)
                yield from _drain(messages)
                with docker_errors("start the container"):
                    driver.start(report.environment)
                yield from _drain(messages)
            for spec in (s for s in specs if s.phase is phase):
                yield Progress(f"{spec.id}: {spec.title}")
                result = _run_check(spec, ctx, config.strict)
                yield from _drain(messages)
                report.results.append(result)
                yield CheckFinished(result)
        if ctx._probes is not None and ctx._probes.has("load"):
            report.load = ctx._probes.load().summary()
    finally:
        session.close()


def _run_check(spec: CheckSpec, ctx: CheckContext, strict: bool) -> CheckResult:
    began = time.monotonic()
    outcome: Outcome
    if ctx.config.target and not spec.remote:
        outcome = skipped(f"not measured: {ctx.config.target} was not started by the tool, and this "
                          f"rule needs the container itself (its image, process, sockets or signals)")
    elif spec.needs_healthy and (ctx.startup is None or not ctx.startup.healthy):
        state = ctx.startup.state if ctx.startup else "not started"
        outcome = skipped(f"the server never became healthy ({state}); see inference.startup")
    else:
        try:
            outcome = spec.fn(ctx)
        except ProbeError as exc:
            outcome = undecided(str(exc))
        except Exception as exc:  # a crashing check is an error, never a crashed run
            outcome = undecided(f"the check itself failed: {type(exc).__name__}: {exc}")
    severity = spec.severity_for(ctx.config.check_mode, ctx.config.options)
    status = effective_status(severity, outcome.status, strict)
    logs = ctx.logs() if status in (Status.FAIL, Status.ERROR, Status.WARN) else ""
    return CheckResult(spec.id, spec.title, severity, status, outcome.message,
                       outcome.measured, outcome.limit, outcome.unit, spec.remediation,
                       spec.source, round(time.monotonic() - began, 3), outcome.details, logs)


def _drain(messages: "queue.SimpleQueue[str]") -> Iterator[Event]:
    while not messages.empty():
        yield Progress(messages.get())


def _environment(client, config: RunConfig, limits: launcher.Limits, attrs: dict) -> dict:
    return {
        "docker_version": client.version().get("Version", "unknown") if client else None,
        "image_id": attrs.get("Id", ""),
        "instance_type": config.instance_type,
        "cpus": limits.cpus,
        "memory_bytes": limits.memory_bytes,
        "limits_note": limits.note,
        "startup_wait_s": config.startup_wait_s,
        "platform_startup_window_s": config.startup_window_s,
        "stop_timeout_s": config.stop_grace_s,
        "payload": str(config.payload) if config.payload else None,
        "content_type": config.content_type,
    }
