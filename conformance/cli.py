"""`sagemaker-conformance`: parse options, call the engine, route events to reporters,
exit 0 (pass/warn), 1 (fail), 2 (usage or environment error), 130 (interrupted)."""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from contextlib import closing
from typing import Optional

from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import ConformanceError
from .events import CheckFinished, RunFinished, RunStarted
from .model import RunReport
from .options import OPTIONS
from .settings import export_locustfile_if_asked, report_targets, resolve_for_cli, run_config

EXIT = {"pass": 0, "warn": 0, "fail": 1, "error": 2}


GROUPS = {"run": None, "report": "reports", "training": "training (--mode train)",
          "load": "load (locust)", "fuzz": "fuzzing and streaming", "batch": "batch transform (--mode batch)",
          "pipeline": "inference pipelines (--pipeline)", "mme": "multi-model endpoints (--mode mme)"}


METAVARS = {"pairs": "KEY=VALUE", "paths": "NAME=FOLDER", "list": "ID[,ID]", "models": "[NAME=]PATH",
            "entries": "ENTRY"}


def add_options(parser: argparse.ArgumentParser) -> None:
    """Every option of options.OPTIONS as a flag; defaults stay None so that a flag not
    given leaves the value to SMC_* variables, pyproject.toml, then the default."""
    parser.add_argument("image", nargs="?", help="the image (or SMC_IMAGE, or pyproject.toml)")
    titles = {**{o.group: o.group for o in OPTIONS}, **GROUPS}   # a mode's own group is titled by its name
    groups = {name: parser.add_argument_group(title) if title else parser for name, title in titles.items()}
    for option in OPTIONS:
        if option.name == "image":
            continue
        text = option.describe()
        text += "" if option.default in (None, ()) else f" [default: {option.default}]"
        text = text.replace("%", "%%")
        flag, group = "--" + option.name, groups[option.group]
        if option.kind == "bool":
            group.add_argument(flag, dest=option.key, action=argparse.BooleanOptionalAction,
                               default=None, help=text)
        elif option.accepts_many:
            group.add_argument(flag, dest=option.key, action="append", default=None,
                               metavar=METAVARS[option.kind], help=text)
        else:
            metavar = "{%s}" % ",".join(option.choices) if option.choices else option.kind.upper()
            group.add_argument(flag, dest=option.key, default=None, metavar=metavar, help=text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sagemaker-conformance",
                                     description="Check a container image against SageMaker's container contract.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_options(sub.add_parser("check", help="start IMAGE as SageMaker would and check every rule"))
    add_options(sub.add_parser("config", help="print the effective options and where each comes from"))
    worker = sub.add_parser("load-worker", help="a locust worker for a run started with --load-master")
    worker.add_argument("--master", required=True, metavar="HOST[:PORT]", help="the run's --load-master")
    worker.add_argument("--timeout", type=float, default=3600.0,
                        help="give up after this many seconds (default 3600)")
    listing = sub.add_parser("list-checks", help="list every registered check: id, severity, modes, "
                             "phase, title and the AWS source")
    listing.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                         help="text (default), json (every field) or markdown (the catalogue of rules)")
    clean = sub.add_parser("clean", help="remove containers and networks left by killed runs")
    clean.add_argument("--all", action="store_true", help="also those of runs still going")
    return parser


def settings_from_args(args: argparse.Namespace) -> dict:
    given = {option.name: getattr(args, option.key) for option in OPTIONS}
    return resolve_for_cli(given)


def run_check(args: argparse.Namespace, console: Console) -> int:
    from .engine import run
    from .reporters import write_reports
    from .reporters.terminal import TerminalReporter

    settings = settings_from_args(args)
    config = run_config(settings)
    exported = export_locustfile_if_asked(settings, config)
    if exported:
        console.print(f"wrote {exported}")
    terminal = TerminalReporter(console, quiet=settings["quiet"].value)
    report: Optional[RunReport] = None
    started: Optional[RunStarted] = None
    done: list = []
    try:
        with closing(run(config)) as events:
            for event in events:
                terminal.on_event(event)
                started = event if isinstance(event, RunStarted) else started
                if isinstance(event, CheckFinished):
                    done.append(event.result)
                if isinstance(event, RunFinished):
                    report = event.report
    except KeyboardInterrupt as stop:   # the run's containers are gone (its finally); its reports are not
        if started is not None:
            why = getattr(stop, "signal_name", "Ctrl-C")
            partial = RunReport("sagemaker-conformance", __version__, started.run_id, started.image, started.mode,
                                dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), strict=config.strict,
                                results=done, error=f"interrupted ({why}) after {len(done)} of {len(started.checks)} checks")
            write_reports(partial, report_targets(settings))
        raise
    finally:
        terminal.close()
    assert report is not None
    unwritten = write_reports(report, report_targets(settings))
    for problem in unwritten:
        console.print(Text.assemble(("error: ", "bold red"), f"cannot write the report {problem}"))
    if unwritten:
        return 2
    return EXIT[report.verdict]


def show_config(args: argparse.Namespace, console: Console) -> int:
    """Each option's effective value and its source (flag, SMC_* variable, pyproject, default),
    in plain columns that are never cut, whatever the terminal's width."""
    rows = [("option", "value", "from")]
    for name, setting in settings_from_args(args).items():
        value = setting.value
        if isinstance(value, tuple) and value and isinstance(value[0], tuple):
            value = ", ".join(f"{k}={v}" for k, v in value)
        elif isinstance(value, tuple):
            value = ",".join(value)
        rows.append((name, "" if value is None else str(value), setting.source))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for name, value, source in rows:
        print(f"{name:{widths[0]}}  {value:{widths[1]}}  {source}".rstrip())
    return 0


def list_checks(fmt: str = "text") -> int:
    from .checks import all_checks
    from .reporters.catalogue import render
    print(render(all_checks(), fmt), end="")
    return 0


def clean(args: argparse.Namespace, console: Console) -> int:
    from . import engine
    if args.all:
        containers, networks, folders = engine.clean(everything=True)
        console.print(f"removed {containers} container(s), {networks} network(s) and {folders} "
                      f"temporary folder(s)")
    else:
        runs, _, folders = engine.clean()
        console.print(f"removed the leftovers of {runs} stale run(s) and {folders} temporary folder(s) of dead runs")
    return 0


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C (cleanup runs in finally), exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.signal_name = signal.Signals(signum).name


def _raise_interrupt(signum, frame):
    raise Interrupted(signum)


def main(argv: Optional[list] = None) -> int:
    args = build_parser().parse_args(argv)
    # Not a terminal (a CI log, a pipe): 160 columns whatever COLUMNS says, so that logs read
    # the same everywhere; a terminal has its own width (tests/test_readme.py: 80).
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _raise_interrupt)
    try:
        if args.command == "check":
            return run_check(args, console)
        if args.command == "config":
            return show_config(args, console)
        if args.command == "load-worker":
            from .features.load.worker import run_worker
            return run_worker(args.master, args.timeout, console)
        if args.command == "list-checks":
            return list_checks(args.format)
        return clean(args, console)
    except ConformanceError as exc:
        console.print(Text.assemble(("error: ", "bold red"), exc.message))
        if exc.hint:
            console.print(f"  hint: {exc.hint}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt as stop:
        print("interrupted: containers and networks of this run were removed", file=sys.stderr)
        return 128 + getattr(stop, "signum", signal.SIGINT)


if __name__ == "__main__":
    sys.exit(main())
