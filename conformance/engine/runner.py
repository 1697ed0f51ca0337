"""The engine: `run(config)` starts the image as SageMaker would, runs the selected checks
phase by phase and yields events; everything it creates is removed in `finally`."""
from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from typing import Callable, Iterator, TypeVar

import docker

from .. import __version__
from ..registry import NEEDS, mode_spec, sections, select
from .context import CheckContext
from ..config import RunConfig
from ..errors import ConformanceError, EngineError, ProbeError, UsageError, docker_errors
from ..events import CheckFinished, Event, Progress, RunFinished, RunStarted
from ..model import (CheckResult, CheckSpec, Outcome, Phase, RunReport, Status,
                     effective_status, skipped, undecided)
from . import launcher
from .driver import container_tail
from .docker_env import connect, get_image
from ..safe_text import printable, safe
from ..sources import cited
from .session import RunSession, new_run_id, sweep_stale


def run(config: RunConfig) -> Iterator[Event]:
    """Yields RunStarted, progress and results, and always a RunFinished: a run that could
    not judge the image at all (bad input, Docker refusing) carries `report.error`."""
    started = time.monotonic()
    report = RunReport("sagemaker-conformance", __version__, new_run_id(), config.image,
                       config.mode, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                       strict=config.strict, require_complete=config.require_complete)
    try:
        yield from _run(config, report)
    except ConformanceError as exc:
        report.error = printable(str(exc))
    except docker.errors.DockerException as exc:
        report.error = printable(str(EngineError.from_docker(exc)))
    report.duration_s = round(time.monotonic() - started, 3)
    yield RunFinished(report)


def _run(config: RunConfig, report: RunReport) -> Iterator[Event]:
    config = config.validate()
    specs = select(config.check_mode, config.only, config.skip, config.options)
    client = None if config.target else connect()   # a --target needs no Docker at all
    image_attrs = {} if client is None else get_image(client, config.image).attrs
    images = {} if client is None else {name: get_image(client, name).attrs   # every image, up front
                                        for name in config.pipeline_images or (config.image,)}
    try:
        payload = config.payload.read_bytes() if config.payload else None
    except OSError as exc:
        raise UsageError(f"cannot read the payload {config.payload}: {exc.strerror or exc}") from None
    session = RunSession(client, report.run_id)
    yield RunStarted(session.run_id, config.image, config.mode, tuple(s.id for s in specs))
    messages: "queue.SimpleQueue[str]" = queue.SimpleQueue()
    try:
        if client is not None:
            sweep_stale(client)
        limits = launcher.resolve_limits(config)
        measured = frozenset(s.id for s in specs if s.remote or not config.target)
        ctx = CheckContext(config, image_attrs, limits, selected=measured, images=images, results=report.results)
        report.environment = _environment(client, config, limits, image_attrs)
        driver = mode_spec(config.check_mode).driver(config)(client, config, session, ctx, messages.put, payload)
        needs_container = any(s.phase > Phase.STATIC or "files" in s.needs for s in specs)
        if needs_container:
            yield Progress("creating the network and the container")
            with docker_errors("create the network and the container"):
                yield from _live(lambda: driver.prepare(report.environment), messages)
        for phase in Phase:
            if phase is Phase.STARTUP and needs_container:
                yield Progress(driver.starting)
                with docker_errors("start the container"):
                    yield from _live(lambda: driver.start(report.environment), messages, driver.starting)
            for spec in (s for s in specs if s.phase is phase):
                step = f"{spec.id}: {spec.title}"
                yield Progress(step)
                result = yield from _live(lambda: _run_check(spec, ctx, config.strict), messages, step)
                report.results.append(result)
                yield CheckFinished(result)
        if config.keep_log:   # before the session removes what it started: the whole log, up to 1 MiB
            whole = container_tail(ctx.container, KEPT_LOG_LINES, KEPT_LOG_BYTES) if ctx.container else ""
            report.container_log = printable(whole or ctx.logs())
        for make_section in sections():   # what a mode or a feature adds to the report
            found = make_section(report.results, ctx._probes)
            if found is not None:
                report.sections.append(found)
    finally:
        session.close()


def _run_check(spec: CheckSpec, ctx: CheckContext, strict: bool) -> CheckResult:
    began = time.monotonic()
    per_container = spec.each_container or (ctx.judge_each and ctx.config.check_mode not in spec.modes)
    if per_container and ctx.containers is not None:   # a pipeline, copies, variants: every container
        outcome = combine([(name, _judge(spec, member)) for name, member in ctx.containers()])
    else:
        outcome = _judge(spec, ctx)
    severity = spec.severity_for(ctx.config.check_mode, ctx.config.options)
    status = effective_status(severity, outcome.status, strict)
    logs = ctx.logs() if status in (Status.FAIL, Status.ERROR, Status.WARN) else ""
    return CheckResult(spec.id, spec.title, severity, status, printable(outcome.message),   # container text made safe once
                       safe(outcome.measured), outcome.limit, safe(outcome.unit), spec.remediation,
                       cited(spec.source), round(time.monotonic() - began, 3), safe(outcome.details),
                       printable(logs))


def _judge(spec: CheckSpec, ctx: CheckContext) -> Outcome:
    outcome: Outcome
    if ctx.config.target and not spec.remote:
        outcome = skipped(f"not measured: {ctx.config.target} was not started by the tool, and this "
                          f"rule needs the container itself (its image, process, sockets or signals)")
    elif spec.needs_healthy and (ctx.startup is None or not ctx.startup.healthy):
        state = ctx.startup.state if ctx.startup else "not started"
        outcome = skipped(f"the server never became healthy ({state}); see inference.startup")
    elif any(not ctx.gives(need) for need in spec.needs):
        outcome = skipped("; ".join(NEEDS[need] for need in spec.needs if not ctx.gives(need)))
    else:
        try:
            outcome = spec.fn(ctx)
        except ProbeError as exc:
            outcome = undecided(str(exc))
        except Exception as exc:  # a crashing check is an error, never a crashed run
            outcome = undecided(f"the check itself failed: {type(exc).__name__}: {exc}")
    return outcome


WORST_FIRST = (Status.FAIL, Status.ERROR, Status.SKIP, Status.WARN, Status.PASS)


def combine(outcomes: list[tuple[str, Outcome]]) -> Outcome:
    """One result over every container of a pipeline: the worst status (a container that
    could not be judged keeps the whole from passing), its measurement, and each
    container's message, the worst first."""
    ranked = sorted(outcomes, key=lambda item: WORST_FIRST.index(item[1].status))
    worst = ranked[0][1]
    message = "; ".join(f"{name}: {o.message}" for name, o in ranked)
    details = {"containers": {name: {"status": o.status.value, "message": o.message,
                                     "measured": o.measured} for name, o in outcomes}}
    return Outcome(worst.status, message, worst.measured, worst.limit, worst.unit, details)


T = TypeVar("T")
HEARTBEAT_S = 5.0   # a step that says nothing for this long is said to be still running
KEPT_LOG_LINES, KEPT_LOG_BYTES = 100_000, 1024 * 1024   # --certify keeps this much of the log


def _live(step: Callable[[], T], messages: "queue.SimpleQueue[str]", label: str = "") -> Iterator[Event]:
    """Run one blocking step (a start, a check, a drill) in a worker thread and pass on
    its progress the moment it is made, with a heartbeat when it is quiet, so that a
    terminal and a CI log both see a long wait as it happens. Returns the step's value
    and re-raises its exception here. Ctrl-C lands in this thread; the step, left
    without its containers by the session's cleanup, ends on its own."""
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = step()
        except BaseException as exc:   # handed over to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="smc-step", daemon=True)
    began = last = time.monotonic()
    worker.start()
    said = label
    while worker.is_alive() or not messages.empty():
        try:
            said = messages.get(timeout=0.1)
        except queue.Empty:
            if worker.is_alive() and time.monotonic() - last >= HEARTBEAT_S and said:
                last = time.monotonic()
                yield Progress(f"{said} (still running after {last - began:.0f} s)")
            continue
        last = time.monotonic()
        yield Progress(said)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


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
