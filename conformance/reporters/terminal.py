"""The terminal: a live progress line while checks run (in a CI log, which is no terminal,
plain lines instead: each new step at once, the same step again at most every
PLAIN_EVERY_S), then a table and the verdict."""
from __future__ import annotations

import re
import time
from typing import Optional

from rich.console import Console
from rich.status import Status as Spinner
from rich.padding import Padding
from rich.text import Text

from ..events import CheckFinished, Event, Progress, RunFinished, RunStarted
from ..model import PROBLEMS, RunReport, Status, not_run_groups
from .text import printable

STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.WARN: "yellow",
         Status.SKIP: "dim", Status.ERROR: "bold magenta"}
PLAIN_EVERY_S = 5.0
INDENT = 6
VERDICT_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "error": "bold magenta"}


class TerminalReporter:
    def __init__(self, console: Optional[Console] = None, show_logs: bool = True, quiet: bool = False) -> None:
        self.console = console or Console(highlight=False)
        self.show_logs = show_logs and not quiet
        self.quiet = quiet   # the verdict line only (and an error that kept the run from judging)
        self._spinner: Optional[Spinner] = None
        self._done = 0
        self._total = 0
        self._plain = not self.console.is_terminal   # a CI log: lines, not a spinner
        self._last_key = ""
        self._last_line = 0.0

    def on_event(self, event: Event) -> None:
        if self.quiet:
            if isinstance(event, RunFinished):
                self.finish(event.report)
            return
        if isinstance(event, RunStarted):
            self._total = len(event.checks)
            self.console.print(Text(f"sagemaker-conformance: {event.image} (mode {event.mode}, "
                                    f"run {event.run_id}, {self._total} checks)"))
            if not self._plain:
                self._spinner = self.console.status("starting")
                self._spinner.start()
        elif isinstance(event, Progress) and self._spinner:
            self._spinner.update(Text(f"[{self._done}/{self._total}] {printable(event.text)}"))
        elif isinstance(event, Progress) and self._plain:
            self._plain_line(event.text)
        elif isinstance(event, CheckFinished):
            self._done += 1
            if self._plain:
                self._plain_line(f"{event.result.status.value} {event.result.id}", always=True)
        elif isinstance(event, RunFinished):
            self.close()
            self.finish(event.report)

    def _plain_line(self, text: str, always: bool = False) -> None:
        """A new kind of message at once; the same one with new numbers (a wait counting
        seconds) at most every PLAIN_EVERY_S, so a CI log shows life without a flood."""
        key = re.sub(r"\d+(\.\d+)?", "#", text)
        now = time.monotonic()
        if always or key != self._last_key or now - self._last_line >= PLAIN_EVERY_S:
            self._last_key, self._last_line = key, now
            stamp = time.strftime("%H:%M:%S")
            self.console.print(Text(f"{stamp} [{self._done}/{self._total}] {printable(text)}"), soft_wrap=True)

    def close(self) -> None:
        if self._spinner:
            self._spinner.stop()
            self._spinner = None

    def finish(self, report: RunReport) -> None:
        """Failures first (fail, error, warn: each a block that wraps at any width, 80
        columns included), then what did not run (one line per reason), then the passes
        folded into one line. Text from the container is never read as rich markup."""
        if report.error:
            self.console.print(Text.assemble(("error: ", "bold magenta"), report.error))
        if self.quiet:
            return self._verdict(report)
        for r in sorted((r for r in report.results if r.status in PROBLEMS), key=lambda r: PROBLEMS.index(r.status)):
            self._problem(r)
        self._not_run(report)
        passed = [r.id for r in report.results if r.status is Status.PASS]
        if passed:
            self.console.print(Text.assemble((f"passed ({len(passed)}): ", "green"), ", ".join(passed)))
        for section in report.sections:   # one line each; HTML has the tables and plots
            if section.summary:
                self.console.print(Text(f"{section.title}: {printable(section.summary)}"))
        logs = next((r.logs for r in report.results if r.logs), "")
        if self.show_logs and logs:
            self.console.print("last container log lines:", style="dim")
            self.console.print(Text(printable(logs.rstrip())))
        env = report.environment
        if env.get("connection") == "published":
            self.console.print(Text.assemble(("note: ", "yellow"), "reached through a published port: "
                                             "accept timings cannot be measured there"))
        self._verdict(report)

    def _problem(self, r) -> None:
        """A check that did not pass: its status, id, severity and measured / limit on the
        first line; the message, the fix and the source indented under it."""
        limit = "—" if r.limit is None else r.limit
        measured = "" if r.measured is None else f"  {printable(str(r.measured))} / {limit} {r.unit}".rstrip()
        self.console.print(Text.assemble((f"{r.status.value.upper():5}", STYLE[r.status]), f" {r.id}",
                                         (f" ({r.severity.value})", "dim"), measured))
        body = Text(printable(r.message))
        body.append(f"\nfix: {r.remediation}")
        body.append(f"\nsource: {r.source}", style="dim")
        self.console.print(Padding(body, (0, 0, 0, INDENT), expand=False))

    def _not_run(self, report: RunReport) -> None:
        """MUST checks that could not run, then the other skips: one line per reason."""
        groups = not_run_groups(report.results)
        for must, title, style in ((True, "MUST checks that could not run", "bold yellow"),
                                   (False, "other checks not run", "dim")):
            lines = [(status, reason, ids) for is_must, status, reason, ids in groups if is_must is must]
            if not lines:
                continue
            self.console.print(Text(f"{title} ({sum(len(ids) for *_, ids in lines)}):", style))
            for status, reason, ids in lines:
                line = Text(f"{', '.join(ids)} ({status}): {printable(reason)}")
                self.console.print(Padding(line, (0, 0, 0, 2), expand=False))

    def _verdict(self, report: RunReport) -> None:
        counts = ", ".join(f"{sum(r.status is s for r in report.results)} {s.value}" for s in Status)
        self.console.print(Text.assemble("verdict: ", (report.verdict.upper(), VERDICT_STYLE[report.verdict]),
                                         (report.incomplete_note, "bold yellow"),
                                         f" ({counts}) in {report.duration_s:.1f} s"))
