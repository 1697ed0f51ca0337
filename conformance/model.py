"""The result model shared by the engine, the fronts and the reporters."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

Number = Union[int, float]


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    ERROR = "error"


class Severity(str, enum.Enum):
    MUST = "MUST"
    SHOULD = "SHOULD"


class Mode(str, enum.Enum):
    """The built-in modes' registry names, for the checks' declarations (modes=(Mode.SERVE,));
    the registry (modes/<mode>/) is what knows a mode: its base, its driver, its settings."""
    SERVE = "serve"
    TRAIN = "train"
    SERVERLESS = "serverless"   # the serving contract, run as a serverless endpoint runs it
    ASYNC = "async"             # ... and as an asynchronous endpoint runs it
    BATCH = "batch"             # ... and as a batch transform job runs it
    PIPELINE = "pipeline"       # 2-15 serving containers as one model (--pipeline); its own checks
    MME = "mme"                 # a multi-model endpoint: `serve`, the /models API; no /invocations


class Phase(enum.IntEnum):
    """When a check runs. STATIC needs only image metadata; STARTUP judges the bring-up;
    LIVE needs a healthy server; LOAD puts it under load; DESTRUCTIVE may break it;
    SHUTDOWN stops it."""

    STATIC = 0
    STARTUP = 1
    LIVE = 2
    LOAD = 3
    DESTRUCTIVE = 4
    SHUTDOWN = 5


@dataclass(frozen=True)
class Outcome:
    """What a check function returns: passed or violated, with what was measured."""

    status: Status
    message: str
    measured: Optional[Number | str] = None
    limit: Optional[Number | str] = None
    unit: str = ""
    details: dict = field(default_factory=dict)


def within(measured: Number, limit: Number, unit: str, message: str = "",
           details: Optional[dict] = None) -> Outcome:
    """Pass when measured <= limit, fail otherwise."""
    ok = measured <= limit
    text = message or f"{_fmt(measured)} {unit} {'<=' if ok else '>'} {_fmt(limit)} {unit}"
    return Outcome(Status.PASS if ok else Status.FAIL, text, measured, limit, unit, details or {})


def passed(message: str, measured: Optional[Number | str] = None,
           limit: Optional[Number | str] = None, unit: str = "",
           details: Optional[dict] = None) -> Outcome:
    return Outcome(Status.PASS, message, measured, limit, unit, details or {})


def violation(message: str, measured: Optional[Number | str] = None,
              limit: Optional[Number | str] = None, unit: str = "",
              details: Optional[dict] = None) -> Outcome:
    return Outcome(Status.FAIL, message, measured, limit, unit, details or {})


def skipped(reason: str) -> Outcome:
    return Outcome(Status.SKIP, reason)


def undecided(reason: str, measured: Optional[Number | str] = None,
              limit: Optional[Number | str] = None, unit: str = "") -> Outcome:
    """We could not judge (status error): counts against the verdict for MUST checks."""
    return Outcome(Status.ERROR, reason, measured, limit, unit)


def _fmt(value: Number) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    severity: Severity
    modes: frozenset
    phase: Phase
    order: int
    source: str
    remediation: str
    needs_healthy: bool
    fn: Callable
    option: Optional[str] = None   # a RunConfig field that must be set for the check to run
    severities: tuple = ()         # ((Mode or option name, Severity), ...): where the rule is stronger
    origin: str = "sagemaker-conformance"   # or the distribution that ships it (entry point)
    remote: bool = False           # measurable over HTTP alone, on a --target the tool did not start
    each_container: bool = False   # in a run of several containers (a pipeline), judged for each one
    needs: tuple = ()              # what the run must give, else the engine skips it (registry.NEEDS)

    @property
    def since(self) -> Optional[str]:
        """The release the check appeared in: the built-ins' table (since.py), or the
        version of the plugin distribution that ships it (origin "name version")."""
        if self.origin == "sagemaker-conformance":
            from .since import since
            return since(self.id)
        return self.origin.rsplit(" ", 1)[-1] if " " in self.origin else None

    @property
    def links(self) -> tuple:
        """The AWS pages, API references and repository files the source names."""
        from .sources import links
        return links(self.source)

    def severity_for(self, mode: "Mode", options: tuple = ()) -> "Severity":
        stronger = dict(self.severities)
        for option in options:
            if option in stronger:
                return stronger[option]
        return stronger.get(mode, self.severity)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    severity: Severity
    status: Status
    message: str
    measured: Optional[Number | str]
    limit: Optional[Number | str]
    unit: str
    remediation: str
    source: str
    duration_s: float
    details: dict = field(default_factory=dict)
    logs: str = ""

    @property
    def counts_against(self) -> bool:
        return self.status in (Status.FAIL, Status.ERROR)


@dataclass(frozen=True)
class Table:
    """Rows of text cells under column names (a section's per-model, per-hop figures)."""
    columns: tuple
    rows: tuple
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """A plot: "line" (series: name -> [(x, y or None)]) or "histogram" (values);
    `marks` are horizontal lines for a line chart, vertical ones for a histogram
    (name -> value: the p99, the SLO limit)."""
    kind: str
    title: str
    x_label: str
    y_label: str
    series: dict = field(default_factory=dict)
    values: tuple = ()
    marks: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """A titled piece of evidence: a paragraph, preformatted text (a body, a log) and an
    optional file to attach (name, base64) such as a fuzz finding's minimal input."""
    title: str
    text: str = ""
    pre: str = ""
    attachment: Optional[tuple] = None


@dataclass(frozen=True)
class Section:
    """What a mode or a feature adds to the report (registry.section): a title, one line
    for the terminal and Markdown, figures (label, value), tables, charts and blocks for
    HTML, and `data` for the JSON report (`sections.<key>.data`). Reporters render every
    section alike and never look inside `data`."""
    key: str
    title: str
    summary: str = ""
    figures: tuple = ()
    tables: tuple = ()
    charts: tuple = ()
    blocks: tuple = ()
    data: Optional[dict] = None
    exports: tuple = ()   # (name, text): files the HTML report writes beside itself (locust's own report)


@dataclass
class RunReport:
    tool: str
    version: str
    run_id: str
    image: str
    mode: str
    started: str
    duration_s: float = 0.0
    strict: bool = False
    require_complete: bool = False   # a MUST check that did not run fails the verdict
    results: list[CheckResult] = field(default_factory=list)
    environment: dict = field(default_factory=dict)
    error: str = ""
    sections: list[Section] = field(default_factory=list)   # from modes and features
    container_log: str = ""   # with --certify: the last log lines of what the run started

    def section(self, key: str) -> Optional[Section]:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def verdict(self) -> str:
        return verdict(self.results, self.strict, self.error, self.require_complete)

    @property
    def not_judged(self) -> list[CheckResult]:
        return not_judged(self.results)

    @property
    def headline(self) -> str:
        """The verdict as the first line of every report says it: a pass with MUST checks
        that did not run says so ("PASS, incomplete: 12 MUST checks not run")."""
        return self.verdict.upper() + self.incomplete_note

    @property
    def incomplete_note(self) -> str:
        missing = len(self.not_judged)
        if self.error or not missing:
            return ""
        checks = "check" if missing == 1 else "checks"
        gated = " (--require-complete)" if self.require_complete else ""
        return f", incomplete: {missing} MUST {checks} not run{gated}"


def effective_status(severity: Severity, status: Status, strict: bool) -> Status:
    """A SHOULD check that fails is reported as warn unless --strict."""
    if severity is Severity.SHOULD and status is Status.FAIL and not strict:
        return Status.WARN
    return status


def gate(result: "CheckResult", strict: bool, require_complete: bool = False) -> str:
    """The one rule every front applies to one result: "fail" (red in pytest, fails the
    verdict), "warn", "skip" or "pass". A MUST check that fails or could not be judged
    fails; a SHOULD check that fails or could not be judged warns, or fails with --strict.
    With require_complete, a MUST check that did not run (skip) fails too."""
    if require_complete and result.status is Status.SKIP and result.severity is Severity.MUST:
        return "fail"
    if result.status in (Status.FAIL, Status.ERROR):
        return "fail" if result.severity is Severity.MUST or strict else "warn"
    if result.status is Status.WARN:
        return "fail" if strict else "warn"
    return result.status.value


def verdict(results: list[CheckResult], strict: bool, error: str = "", require_complete: bool = False) -> str:
    """error when the run could not judge the image at all; else the worst gate."""
    if error:
        return "error"
    gates = {gate(r, strict, require_complete) for r in results}
    return "fail" if "fail" in gates else "warn" if "warn" in gates else "pass"


# How every report orders results: what needs action first (PROBLEMS), the passes last.
STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.WARN, Status.SKIP, Status.PASS)
PROBLEMS = STATUS_ORDER[:3]


def not_run_groups(results: list[CheckResult]) -> list[tuple[bool, str, str, list[str]]]:
    """What did not run, one group per reason: (MUST?, status, reason, ids), the MUST
    checks (skipped or errored) first, then the other skips."""
    must = not_judged(results)
    must_ids = {r.id for r in must}
    groups: dict = {}
    for r in must + [r for r in results if r.status is Status.SKIP and r.id not in must_ids]:
        groups.setdefault((r.id in must_ids, r.status.value, r.message), []).append(r.id)
    return [(is_must, status, reason, ids) for (is_must, status, reason), ids in groups.items()]


def not_judged(results: list[CheckResult]) -> list[CheckResult]:
    """MUST checks that could not run (skipped or error): every report lists them."""
    return [r for r in results if r.severity is Severity.MUST and r.status in (Status.SKIP, Status.ERROR)]
