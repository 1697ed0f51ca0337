"""`sagemaker-conformance`: parse options, call the engine, route events to reporters,
exit 0 (pass/warn), 1 (fail), 2 (usage or environment error), 130 (interrupted)."""
from __future__ import annotations

import argparse
import signal
import sys
from contextlib import closing
from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.text import Text

from . import __version__
from .config import (PLATFORM_STARTUP_WINDOW_S, RunConfig, TrainingSettings, parse_channels,
                     parse_duration, parse_env_pairs, read_json_object, read_metric_definitions)
from .errors import ConformanceError, UsageError
from .load.runner import LoadSettings
from .events import RunFinished
from .model import RunReport

EXIT = {"pass": 0, "warn": 0, "fail": 1, "error": 2}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sagemaker-conformance",
                                     description="Check a container image against SageMaker's container contract.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="start IMAGE as SageMaker would and check every rule")
    check.add_argument("image")
    check.add_argument("--mode", default="serve", choices=["serve", "train"])
    check.add_argument("--payload", type=Path, help="a file holding one request body")
    check.add_argument("--content-type", default="application/octet-stream")
    check.add_argument("--accept", default="*/*")
    check.add_argument("--model", type=Path, help="model directory or model.tar.gz for /opt/ml/model")
    check.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    check.add_argument("--instance-type", default="ml.m5.large")
    check.add_argument("--memory", help="override the instance's memory, e.g. 4g")
    check.add_argument("--cpus", type=float, help="override the instance's vCPUs")
    check.add_argument("--startup-window", type=float, default=PLATFORM_STARTUP_WINDOW_S,
                       help="the platform's window for the first healthy /ping, judged against: "
                            "480 s, or the variant's ContainerStartupHealthCheckTimeoutInSeconds (60-3600)")
    check.add_argument("--startup-timeout", type=float,
                       help="wait less than the window (a start still pending then is `error`, "
                            "could not judge); default: the whole window")
    check.add_argument("--stop-timeout", type=float,
                       help="grace after SIGTERM (platform: 30 s serving, 120 s training)")
    check.add_argument("--strict", action="store_true", help="SHOULD failures fail the verdict")
    check.add_argument("--checks", default="", help="comma-separated ids or id prefixes to run")
    check.add_argument("--skip", default="", help="comma-separated ids or id prefixes to skip")
    check.add_argument("--connect", default="auto", choices=["auto", "bridge", "joined", "published"])
    check.add_argument("--json", type=Path, dest="json_path", metavar="PATH")
    check.add_argument("--junit", type=Path, dest="junit_path", metavar="PATH")
    check.add_argument("--html", type=Path, dest="html_path", metavar="PATH")
    check.add_argument("--markdown", type=Path, dest="markdown_path", metavar="PATH")
    check.add_argument("--quiet", action="store_true", help="no table, only the verdict line")
    train = check.add_argument_group("training (--mode train)")
    train.add_argument("--channel", action="append", default=[], metavar="NAME=FOLDER")
    train.add_argument("--hyperparameters", type=Path, metavar="FILE", help="JSON object")
    train.add_argument("--instance-count", type=int, default=1)
    train.add_argument("--distribution", default="FullyReplicated",
                       choices=["FullyReplicated", "ShardedByS3Key"])
    train.add_argument("--input-mode", default="File", choices=["File", "Pipe"])
    train.add_argument("--max-runtime", default="600s", help="stop the job after this (e.g. 10m)")
    train.add_argument("--failure-hyperparameters", type=Path, metavar="FILE",
                       help="hyperparameters that make the job fail (default: empty channels)")
    train.add_argument("--metric-definitions", type=Path, metavar="FILE",
                       help='JSON list of {"Name", "Regex"}, as MetricDefinitions')
    train.add_argument("--checkpoints", action="store_true",
                       help="mount /opt/ml/checkpoints and run the spot-interruption resume drill")
    train.add_argument("--require-encrypted-traffic", action="store_true",
                       help="plaintext between hosts fails instead of warning")
    train.add_argument("--artifacts-dir", type=Path, default=Path("reports"),
                       help="where the trained model.tar.gz is written")
    load = check.add_argument_group("load (locust)")
    load.add_argument("--load", action="store_true", help="also hold latency under load")
    load.add_argument("--users", type=int, default=10)
    load.add_argument("--spawn-rate", type=float, default=10.0)
    load.add_argument("--duration", default="30s", help="e.g. 30s, 2m")
    load.add_argument("--p99-ms", type=float, help="SLO for load.latency (default: the 60 s limit)")
    load.add_argument("--max-error-rate", type=float, default=0.01)
    load.add_argument("--min-rps", type=float, help="SLO for load.throughput")
    load.add_argument("--workers", type=int, default=0, help="local locust worker processes")
    load.add_argument("--export-locustfile", type=Path, metavar="PATH")
    sub.add_parser("list-checks", help="list every registered check")
    clean = sub.add_parser("clean", help="remove containers and networks left by killed runs")
    clean.add_argument("--all", action="store_true", help="also those of runs still going")
    return parser


def config_from_args(args: argparse.Namespace) -> RunConfig:
    split = lambda text: tuple(p.strip() for p in text.split(",") if p.strip())  # noqa: E731
    return RunConfig(image=args.image, mode=args.mode, payload=args.payload,
                     content_type=args.content_type, accept=args.accept, model=args.model,
                     env=parse_env_pairs(args.env), instance_type=args.instance_type,
                     memory=args.memory, cpus=args.cpus, startup_timeout_s=args.startup_timeout,
                     startup_window_s=args.startup_window,
                     stop_timeout_s=args.stop_timeout, strict=args.strict,
                     only=split(args.checks), skip=split(args.skip), connect=args.connect,
                     load=load_settings(args) if args.load else None,
                     training=training_settings(args) if args.mode == "train" else None,
                     artifacts_dir=args.artifacts_dir)


def training_settings(args: argparse.Namespace) -> TrainingSettings:
    return TrainingSettings(
        channels=parse_channels(args.channel),
        hyperparameters=read_json_object(args.hyperparameters, "hyperparameters") or {},
        instance_count=args.instance_count, distribution=args.distribution, input_mode=args.input_mode,
        max_runtime_s=parse_duration(args.max_runtime),
        failure_hyperparameters=read_json_object(args.failure_hyperparameters, "failure hyperparameters"),
        require_encrypted_traffic=args.require_encrypted_traffic, checkpoints=args.checkpoints,
        metric_definitions=read_metric_definitions(args.metric_definitions))


def load_settings(args: argparse.Namespace) -> LoadSettings:
    return LoadSettings(users=args.users, spawn_rate=args.spawn_rate,
                        duration_s=parse_duration(args.duration), p99_ms=args.p99_ms,
                        max_error_rate=args.max_error_rate, workers=args.workers,
                        min_rps=args.min_rps)


def run_check(args: argparse.Namespace, console: Console) -> int:
    from .engine import run
    from .reporters import html, json_report, junit, markdown
    from .reporters.terminal import TerminalReporter

    config = config_from_args(args)
    if args.export_locustfile:
        if config.payload is None:
            raise UsageError("--export-locustfile needs --payload")
        from .load.export import export_locustfile
        export_locustfile(args.export_locustfile, config.payload, config.content_type, config.accept,
                          config.load or load_settings(args))
        console.print(f"wrote {args.export_locustfile}")
    terminal = TerminalReporter(console, show_logs=not args.quiet)
    report: Optional[RunReport] = None
    try:
        with closing(run(config)) as events:
            for event in events:
                terminal.on_event(event)
                if isinstance(event, RunFinished):
                    report = event.report
    finally:
        terminal.close()
    assert report is not None
    unwritten = []
    for path, writer in ((args.json_path, json_report), (args.junit_path, junit),
                         (args.html_path, html), (args.markdown_path, markdown)):
        if path:
            try:
                writer.write(report, path)
            except OSError as exc:   # the others are still written
                unwritten.append(f"{path}: {exc.strerror or exc}")
    for problem in unwritten:
        console.print(Text.assemble(("error: ", "bold red"), f"cannot write the report {problem}"))
    if unwritten:
        return 2
    return EXIT[report.verdict]


def list_checks(console: Console) -> int:
    from .checks import all_checks
    for spec in all_checks():
        print(f"{spec.id:38} {spec.severity.value:6} {spec.phase.name.lower():11} {spec.title}")
    return 0


def clean(args: argparse.Namespace, console: Console) -> int:
    from .engine.docker_env import connect
    from .engine.session import LABEL, remove_by_label, sweep_stale
    client = connect()
    if args.all:
        containers, networks = remove_by_label(client, LABEL)
        console.print(f"removed {containers} container(s) and {networks} network(s)")
    else:
        console.print(f"removed the leftovers of {sweep_stale(client)} stale run(s)")
    return 0


def _raise_interrupt(signum, frame):  # SIGTERM behaves as Ctrl-C: cleanup runs in finally
    raise KeyboardInterrupt


def main(argv: Optional[list] = None) -> int:
    args = build_parser().parse_args(argv)
    # Not a terminal (CI logs): a wide table rather than one folded to 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        if args.command == "check":
            return run_check(args, console)
        if args.command == "list-checks":
            return list_checks(console)
        return clean(args, console)
    except ConformanceError as exc:
        console.print(Text.assemble(("error: ", "bold red"), exc.message))
        if exc.hint:
            console.print(f"  hint: {exc.hint}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: containers and networks of this run were removed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
