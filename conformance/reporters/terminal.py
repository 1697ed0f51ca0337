"""The terminal: a live progress line while checks run (in a CI log, which is no terminal,
plain lines instead: each new step at once, the same step again at most every
PLAIN_EVERY_S), then a table and the verdict."""
from __future__ import annotations

import re
import time
from typing import Optional

from rich.console import Console
from rich.status import Status as Spinner
from rich.table import Table
from rich.text import Text

from ..events import CheckFinished, Event, Progress, RunFinished, RunStarted
from ..model import RunReport, Status
from .text import printable

STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.WARN: "yellow",
         Status.SKIP: "dim", Status.ERROR: "bold magenta"}
PLAIN_EVERY_S = 5.0
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
        """Text from the container (messages, logs) is never read as rich markup."""
        if report.error:
            self.console.print(Text.assemble(("error: ", "bold magenta"), report.error))
        if self.quiet:
            return self._verdict(report)
        if report.results:
            self.console.print(self._table(report))
        for r in report.results:
            if r.status in (Status.FAIL, Status.ERROR, Status.WARN):
                self.console.print(Text.assemble((r.status.value, STYLE[r.status]),
                                                 f" {r.id}: {printable(r.message)}"))
                self.console.print(Text(f"  fix: {r.remediation}\n  source: {r.source}"))
        not_judged = report.not_judged
        if not_judged:   # one line per reason, with the checks it kept from running
            self.console.print(Text(f"MUST checks that could not run ({len(not_judged)}):", "bold yellow"))
            reasons: dict = {}
            for r in not_judged:
                reasons.setdefault((r.status.value, printable(r.message)), []).append(r.id)
            for (status, reason), ids in reasons.items():
                self.console.print(Text(f"  {', '.join(ids)} ({status}): {reason}"))
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

    def _verdict(self, report: RunReport) -> None:
        counts = ", ".join(f"{sum(r.status is s for r in report.results)} {s.value}" for s in Status)
        self.console.print(Text.assemble("verdict: ", (report.verdict.upper(), VERDICT_STYLE[report.verdict]),
                                         (report.incomplete_note, "bold yellow"),
                                         f" ({counts}) in {report.duration_s:.1f} s"))

    @staticmethod
    def _table(report: RunReport) -> Table:
        table = Table(show_lines=False, expand=True)
        for column, kwargs in (("check", {"no_wrap": True}), ("sev", {"no_wrap": True}),
                               ("status", {"no_wrap": True}), ("measured / limit", {"no_wrap": True}),
                               ("message", {"ratio": 1, "overflow": "fold"})):
            table.add_column(column, **kwargs)
        for r in report.results:
            limit = "—" if r.limit is None else r.limit
            measured = "" if r.measured is None else f"{r.measured} / {limit} {r.unit}".strip()
            table.add_row(r.id, r.severity.value, Text(r.status.value, STYLE[r.status]),
                          Text(measured), Text(printable(r.message)))
        return table

